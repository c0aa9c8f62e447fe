// Why: a request that collides with existing state (a duplicate name) answers 409 naming the field, also when it
// loses a race that only the database's unique index can settle.
package dev.tollgate.web;

import io.micronaut.data.exceptions.DataAccessException;
import java.sql.SQLException;
import java.util.function.Supplier;

public final class Conflict extends RuntimeException {
    private static final String UNIQUE_VIOLATION = "23505";
    private final String field;

    public Conflict(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /**
     * Runs a write guarded by a unique index: when a concurrent request took the same value first (after this one's
     * own check), the write fails with this 409 instead of a database error.
     */
    public static <T> T unlessTaken(Supplier<T> write, String field, String message) {
        try {
            return write.get();
        } catch (DataAccessException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    throw new Conflict(field, message);
                }
            }
            throw e;
        }
    }
}
