// Why: the request log and its daily rollups must agree exactly, however often a batch is retried. One statement
// inserts the batch and adds to the rollups only what it actually inserted, in the same transaction; prompts of
// opted-in keys are stored alongside. A batch is first inserted as it is: only a retried one (its commit went
// through but its acknowledgement was lost) can hold ids already stored, and only then is it inserted again skipping
// them. Skipping on every insert (ON CONFLICT DO NOTHING) cost Postgres a fifth more per row, which on a shared
// machine at the gateway's full rate is CPU taken from the event loops.
package dev.tollgate.usage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/** Writes batches of {@link RequestRecord}s; safe to call again with rows already written. */
final class LedgerWriter {
    private static final String COLUMNS = "request_id, created_at, tenant_id, key_id, model, upstream, endpoint, dialect, "
            + "status, prompt_tokens, completion_tokens, estimated, cost_micros, ttfb_ms, total_ms, stream, error_code, day";

    /** SQLSTATE unique_violation: some request ids of the batch are stored already. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INSERT = insert("");
    private static final String INSERT_SKIPPING_STORED = insert("ON CONFLICT (request_id) DO NOTHING ");

    private static String insert(String onConflict) {
        return "WITH input AS (SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], "
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::boolean[], "
            + "?::bigint[], ?::int[], ?::int[], ?::boolean[], ?::text[], ?::date[]) AS t(" + COLUMNS + ")), "
            + "inserted AS (INSERT INTO request_log (" + COLUMNS + ") SELECT " + COLUMNS + " FROM input "
            + onConflict
            + "RETURNING day, tenant_id, key_id, model, error_code, prompt_tokens, completion_tokens, cost_micros) "
            + "INSERT INTO usage_daily (day, tenant_id, key_id, model, requests, errors, prompt_tokens, completion_tokens, "
            + "cost_micros) SELECT day, tenant_id, key_id, coalesce(model, ''), count(*), count(error_code), "
            + "sum(prompt_tokens), sum(completion_tokens), sum(cost_micros) FROM inserted "
            + "GROUP BY day, tenant_id, key_id, coalesce(model, '') "
            + "ON CONFLICT (day, tenant_id, key_id, model) DO UPDATE SET "
            + "requests = usage_daily.requests + excluded.requests, errors = usage_daily.errors + excluded.errors, "
            + "prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens, "
            + "completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens, "
            + "cost_micros = usage_daily.cost_micros + excluded.cost_micros";
    }

    private static final String PROMPTS = "INSERT INTO prompt_log (request_id, created_at, tenant_id, key_id, body) "
            + "SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[]) "
            + "ON CONFLICT (request_id) DO NOTHING";

    private final DataSource dataSource;
    private final ZoneId zone;

    LedgerWriter(DataSource dataSource, ZoneId zone) {
        this.dataSource = dataSource;
        this.zone = zone;
    }

    /** Writes {@code rows} in one transaction; nothing of it when it fails. Rows already stored are skipped. */
    void write(List<RequestRecord> rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                write(c, rows, INSERT);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                write(c, rows, INSERT_SKIPPING_STORED);
            }
        }
    }

    private void write(Connection c, List<RequestRecord> rows, String insert) throws SQLException {
        try {
            insertRows(c, rows, insert);
            List<RequestRecord> prompts = rows.stream().filter(r -> r.prompt() != null).toList();
            if (!prompts.isEmpty()) {
                insertPrompts(c, prompts);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private void insertRows(Connection c, List<RequestRecord> rows, String insert) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insert)) {
            int i = 1;
            s.setArray(i++, array(c, "text", rows, RequestRecord::requestId));
            s.setArray(i++, array(c, "text", rows, r -> r.createdAt().toString()));
            s.setArray(i++, array(c, "text", rows, RequestRecord::tenantId));
            s.setArray(i++, array(c, "text", rows, RequestRecord::keyId));
            s.setArray(i++, array(c, "text", rows, RequestRecord::model));
            s.setArray(i++, array(c, "text", rows, RequestRecord::upstream));
            s.setArray(i++, array(c, "text", rows, RequestRecord::endpoint));
            s.setArray(i++, array(c, "text", rows, RequestRecord::dialect));
            s.setArray(i++, array(c, "int4", rows, RequestRecord::status));
            s.setArray(i++, array(c, "int8", rows, RequestRecord::promptTokens));
            s.setArray(i++, array(c, "int8", rows, RequestRecord::completionTokens));
            s.setArray(i++, array(c, "bool", rows, RequestRecord::estimated));
            s.setArray(i++, array(c, "int8", rows, RequestRecord::costMicros));
            s.setArray(i++, array(c, "int4", rows, RequestRecord::ttfbMs));
            s.setArray(i++, array(c, "int4", rows, RequestRecord::totalMs));
            s.setArray(i++, array(c, "bool", rows, RequestRecord::stream));
            s.setArray(i++, array(c, "text", rows, RequestRecord::errorCode));
            s.setArray(i, array(c, "text", rows, r -> LocalDate.ofInstant(r.createdAt(), zone).toString()));
            s.executeUpdate();
        }
    }

    private static void insertPrompts(Connection c, List<RequestRecord> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(PROMPTS)) {
            s.setArray(1, array(c, "text", rows, RequestRecord::requestId));
            s.setArray(2, array(c, "text", rows, r -> r.createdAt().toString()));
            s.setArray(3, array(c, "text", rows, RequestRecord::tenantId));
            s.setArray(4, array(c, "text", rows, RequestRecord::keyId));
            s.setArray(5, array(c, "text", rows, RequestRecord::prompt));
            s.executeUpdate();
        }
    }

    private static Array array(Connection c, String type, List<RequestRecord> rows, Function<RequestRecord, Object> column)
            throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return c.createArrayOf(type, values);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}
