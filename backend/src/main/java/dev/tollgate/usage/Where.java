// Why: the report and the request list build their WHERE clauses from optional filters; collecting conditions
// with their arguments in one place keeps every value a bind parameter and the placeholders in step.
package dev.tollgate.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** SQL conditions joined with AND, and the values of their {@code ?} placeholders in order. */
final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    /** Adds {@code condition} with the values of its placeholders; Instants are bound as timestamptz. */
    Where and(String condition, Object... values) {
        conditions.add(condition);
        for (Object v : values) {
            args.add(v instanceof Instant i ? i.atOffset(ZoneOffset.UTC) : v);
        }
        return this;
    }

    /** Adds {@code condition} only when {@code value} is not null. */
    Where andIf(Object value, String condition) {
        return value == null ? this : and(condition, value);
    }

    String sql() {
        return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    }

    /** Binds the arguments from parameter 1 on; answers the next free parameter index. */
    int bind(PreparedStatement s) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
        return args.size() + 1;
    }
}
