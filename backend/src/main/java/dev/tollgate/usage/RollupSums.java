// Why: a batch of the request log adds to the daily rollups (day × tenant × key × model) sums added up here, one row
// per group, instead of having Postgres sum the rows it just inserted (see LedgerWriter).
package dev.tollgate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The usage_daily sums of a batch, as usage_daily groups them (a call that named no model counts under ''). */
final class RollupSums {
    private record Group(int epochDay, String tenantId, String keyId, String model) {
    }

    /** requests, errors, prompt tokens, completion tokens, cost in micros. */
    private final Map<Group, long[]> sums = new LinkedHashMap<>();

    /** {@code days[i]}: the epoch day of {@code rows.get(i)} in the rollups' time zone. */
    RollupSums(List<RequestRecord> rows, Integer[] days) {
        for (int i = 0; i < days.length; i++) {
            RequestRecord r = rows.get(i);
            Group g = new Group(days[i], r.tenantId(), r.keyId(), r.model() == null ? "" : r.model());
            long[] s = sums.computeIfAbsent(g, k -> new long[5]);
            s[0]++;
            s[1] += r.errorCode() == null ? 0 : 1;
            s[2] += r.promptTokens();
            s[3] += r.completionTokens();
            s[4] += r.costMicros();
        }
    }

    /** Sets the nine array parameters from {@code index} on: day, tenant, key, model, then the five sums. */
    void bind(Connection c, PreparedStatement s, int index) throws SQLException {
        int n = sums.size();
        Integer[] days = new Integer[n];
        String[] tenants = new String[n];
        String[] keys = new String[n];
        String[] models = new String[n];
        Long[][] columns = new Long[5][n];
        int row = 0;
        for (Map.Entry<Group, long[]> e : sums.entrySet()) {
            Group g = e.getKey();
            days[row] = g.epochDay();
            tenants[row] = g.tenantId();
            keys[row] = g.keyId();
            models[row] = g.model();
            for (int k = 0; k < 5; k++) {
                columns[k][row] = e.getValue()[k];
            }
            row++;
        }
        s.setArray(index++, c.createArrayOf("int4", days));
        s.setArray(index++, c.createArrayOf("text", tenants));
        s.setArray(index++, c.createArrayOf("text", keys));
        s.setArray(index++, c.createArrayOf("text", models));
        for (Long[] column : columns) {
            s.setArray(index++, c.createArrayOf("int8", column));
        }
    }
}
