// Why: the request log and its daily rollups must agree exactly, however often a batch is retried. One statement
// inserts the batch and adds to the rollups only what it actually inserted, in the same transaction; prompts of
// opted-in keys are stored alongside. A batch is first inserted as it is: only a retried one (its commit went
// through but its acknowledgement was lost) can hold ids already stored, and only then is it inserted again skipping
// them. Skipping on every insert (ON CONFLICT DO NOTHING) cost Postgres a fifth more per row, which on a shared
// machine at the gateway's full rate is CPU taken from the event loops. For the same reason every column travels as
// a typed array in Postgres' binary format (times as epoch microseconds, days as epoch days): no text to escape here
// and none to parse there.
package dev.tollgate.usage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/** Writes batches of {@link RequestRecord}s; safe to call again with rows already written. */
final class LedgerWriter {
    private static final String COLUMNS = "request_id, created_at, tenant_id, key_id, model, upstream, endpoint, dialect, "
            + "status, prompt_tokens, completion_tokens, estimated, cost_micros, ttfb_ms, total_ms, stream, error_code, day";
    /** The input's columns: as {@link #COLUMNS}, with created_at in epoch microseconds and day in epoch days. */
    private static final String INPUT = "request_id, created_us, tenant_id, key_id, model, upstream, endpoint, dialect, "
            + "status, prompt_tokens, completion_tokens, estimated, cost_micros, ttfb_ms, total_ms, stream, error_code, "
            + "epoch_day";
    /** {@link #COLUMNS} from the input: bigint × interval is exact below 2^53 microseconds (the year 2255). */
    private static final String CONVERTED = "request_id, timestamptz 'epoch' + created_us * interval '1 microsecond', "
            + "tenant_id, key_id, model, upstream, endpoint, dialect, status, prompt_tokens, completion_tokens, "
            + "estimated, cost_micros, ttfb_ms, total_ms, stream, error_code, date '1970-01-01' + epoch_day";

    /** SQLSTATE unique_violation: some request ids of the batch are stored already. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INSERT = insert("");
    private static final String INSERT_SKIPPING_STORED = insert("ON CONFLICT (request_id) DO NOTHING ");

    private static String insert(String onConflict) {
        return "WITH input AS (SELECT * FROM unnest(?::text[], ?::int8[], ?::text[], "
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::int8[], ?::int8[], ?::bool[], "
            + "?::int8[], ?::int4[], ?::int4[], ?::bool[], ?::text[], ?::int4[]) AS t(" + INPUT + ")), "
            + "inserted AS (INSERT INTO request_log (" + COLUMNS + ") SELECT " + CONVERTED + " FROM input "
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
        int n = rows.size();
        Long[] createdUs = new Long[n];
        Integer[] epochDays = new Integer[n];
        Integer[] status = new Integer[n];
        Long[] promptTokens = new Long[n];
        Long[] completionTokens = new Long[n];
        Boolean[] estimated = new Boolean[n];
        Long[] costMicros = new Long[n];
        Integer[] ttfbMs = new Integer[n];
        Integer[] totalMs = new Integer[n];
        Boolean[] stream = new Boolean[n];
        for (int i = 0; i < n; i++) {
            RequestRecord r = rows.get(i);
            createdUs[i] = epochMicros(r.createdAt());
            epochDays[i] = Math.toIntExact(LocalDate.ofInstant(r.createdAt(), zone).toEpochDay());
            status[i] = r.status();
            promptTokens[i] = r.promptTokens();
            completionTokens[i] = r.completionTokens();
            estimated[i] = r.estimated();
            costMicros[i] = r.costMicros();
            ttfbMs[i] = r.ttfbMs();
            totalMs[i] = r.totalMs();
            stream[i] = r.stream();
        }
        try (PreparedStatement s = c.prepareStatement(insert)) {
            int i = 1;
            s.setArray(i++, texts(c, rows, RequestRecord::requestId));
            s.setArray(i++, c.createArrayOf("int8", createdUs));
            s.setArray(i++, texts(c, rows, RequestRecord::tenantId));
            s.setArray(i++, texts(c, rows, RequestRecord::keyId));
            s.setArray(i++, texts(c, rows, RequestRecord::model));
            s.setArray(i++, texts(c, rows, RequestRecord::upstream));
            s.setArray(i++, texts(c, rows, RequestRecord::endpoint));
            s.setArray(i++, texts(c, rows, RequestRecord::dialect));
            s.setArray(i++, c.createArrayOf("int4", status));
            s.setArray(i++, c.createArrayOf("int8", promptTokens));
            s.setArray(i++, c.createArrayOf("int8", completionTokens));
            s.setArray(i++, c.createArrayOf("bool", estimated));
            s.setArray(i++, c.createArrayOf("int8", costMicros));
            s.setArray(i++, c.createArrayOf("int4", ttfbMs));
            s.setArray(i++, c.createArrayOf("int4", totalMs));
            s.setArray(i++, c.createArrayOf("bool", stream));
            s.setArray(i++, texts(c, rows, RequestRecord::errorCode));
            s.setArray(i, c.createArrayOf("int4", epochDays));
            s.executeUpdate();
        }
    }

    private static void insertPrompts(Connection c, List<RequestRecord> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(PROMPTS)) {
            s.setArray(1, texts(c, rows, RequestRecord::requestId));
            s.setArray(2, texts(c, rows, r -> r.createdAt().toString()));
            s.setArray(3, texts(c, rows, RequestRecord::tenantId));
            s.setArray(4, texts(c, rows, RequestRecord::keyId));
            s.setArray(5, texts(c, rows, RequestRecord::prompt));
            s.executeUpdate();
        }
    }

    /** Microseconds since the epoch, to the nearest (Postgres keeps no finer; a half rounds up). */
    static long epochMicros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), (at.getNano() + 500) / 1000);
    }

    /** A text[] parameter: a {@code String[]} (like a {@code Long[]}, {@code Integer[]} or {@code Boolean[]}) is sent
     *  in binary, where an {@code Object[]} would be escaped as text. */
    private static Array texts(Connection c, List<RequestRecord> rows, Function<RequestRecord, String> column)
            throws SQLException {
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return c.createArrayOf("text", values);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}
