// Why: the request log and its daily rollups must agree exactly, however often a batch is retried. One statement
// inserts the batch and adds its sums (added up here, one row per day, tenant, key and model) to the rollups, in the
// same transaction; prompts of opted-in keys are stored alongside. Only a retried batch (its commit went through but
// its acknowledgement was lost) can hold ids already stored; a duplicate id fails the whole statement, and the batch
// is then written again without the ids found stored, so every row is inserted and counted once. Skipping duplicates
// on every insert (ON CONFLICT DO NOTHING) cost Postgres a fifth more per row, and summing the inserted rows there
// another sixth, which on a shared machine at the gateway's full rate is CPU taken from the event loops. For the same
// reason every column travels as a typed array in Postgres' binary format (times as epoch microseconds, days as
// epoch days): no text to escape here and none to parse there.
package dev.tollgate.usage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/** Writes batches of {@link RequestRecord}s; safe to call again with rows already written. */
final class LedgerWriter {
    private static final String COLUMNS = "request_id, created_at, tenant_id, key_id, model, upstream, endpoint, dialect, "
            + "status, prompt_tokens, completion_tokens, estimated, cost_micros, ttfb_ms, total_ms, stream, error_code, day";
    /** The input's columns: as {@link #COLUMNS}, with created_at in epoch microseconds and day in epoch days. */
    private static final String INPUT = "request_id, created_us, tenant_id, key_id, model, upstream, endpoint, dialect, "
            + "status, prompt_tokens, completion_tokens, estimated, cost_micros, ttfb_ms, total_ms, stream, error_code, "
            + "epoch_day";
    /** created_at from the input's epoch microseconds: bigint × interval is exact below 2^53 (the year 2255). */
    private static final String FROM_MICROS = "timestamptz 'epoch' + created_us * interval '1 microsecond'";
    /** {@link #COLUMNS} from the input. */
    private static final String CONVERTED = "request_id, " + FROM_MICROS + ", "
            + "tenant_id, key_id, model, upstream, endpoint, dialect, status, prompt_tokens, completion_tokens, "
            + "estimated, cost_micros, ttfb_ms, total_ms, stream, error_code, date '1970-01-01' + epoch_day";

    /** SQLSTATE unique_violation: some request ids of the batch are stored already. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Every row of the batch, and the rollup sums of {@link RollupSums} (nine more array parameters). */
    private static final String INSERT = "WITH input AS (SELECT * FROM unnest(?::text[], ?::int8[], ?::text[], "
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::int8[], ?::int8[], ?::bool[], "
            + "?::int8[], ?::int4[], ?::int4[], ?::bool[], ?::text[], ?::int4[]) AS t(" + INPUT + ")), "
            + "inserted AS (INSERT INTO request_log (" + COLUMNS + ") SELECT " + CONVERTED + " FROM input) "
            + "INSERT INTO usage_daily (day, tenant_id, key_id, model, requests, errors, prompt_tokens, "
            + "completion_tokens, cost_micros) SELECT date '1970-01-01' + epoch_day, tenant_id, key_id, model, requests, "
            + "errors, prompt_tokens, completion_tokens, cost_micros FROM unnest(?::int4[], ?::text[], ?::text[], "
            + "?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[]) AS g(epoch_day, tenant_id, key_id, "
            + "model, requests, errors, prompt_tokens, completion_tokens, cost_micros) "
            + "ON CONFLICT (day, tenant_id, key_id, model) DO UPDATE SET "
            + "requests = usage_daily.requests + excluded.requests, errors = usage_daily.errors + excluded.errors, "
            + "prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens, "
            + "completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens, "
            + "cost_micros = usage_daily.cost_micros + excluded.cost_micros";
    private static final String STORED = "SELECT request_id FROM request_log WHERE request_id = ANY(?::text[])";

    private static final String PROMPTS = "INSERT INTO prompt_log (request_id, created_at, tenant_id, key_id, body) "
            + "SELECT request_id, " + FROM_MICROS + ", tenant_id, key_id, body FROM unnest(?::text[], ?::int8[], "
            + "?::text[], ?::text[], ?::text[]) AS t(request_id, created_us, tenant_id, key_id, body) "
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
                write(c, rows);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                List<RequestRecord> fresh = notStored(c, rows);
                if (fresh.isEmpty()) {
                    c.rollback(); // every row is stored already; the transaction only read
                } else {
                    write(c, fresh);
                }
            }
        }
    }

    private void write(Connection c, List<RequestRecord> rows) throws SQLException {
        try {
            insertRows(c, rows);
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

    /** The rows whose ids are not stored yet, each id once (the first row with it). */
    private static List<RequestRecord> notStored(Connection c, List<RequestRecord> rows) throws SQLException {
        Set<String> seen = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(STORED)) {
            s.setArray(1, array(c, "text", rows, RequestRecord::requestId, String[]::new));
            try (ResultSet stored = s.executeQuery()) {
                while (stored.next()) {
                    seen.add(stored.getString(1));
                }
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
        List<RequestRecord> fresh = new ArrayList<>();
        for (RequestRecord r : rows) {
            if (seen.add(r.requestId())) {
                fresh.add(r);
            }
        }
        return fresh;
    }

    private void insertRows(Connection c, List<RequestRecord> rows) throws SQLException {
        Integer[] days = new Integer[rows.size()];
        for (int i = 0; i < days.length; i++) {
            days[i] = Math.toIntExact(LocalDate.ofInstant(rows.get(i).createdAt(), zone).toEpochDay());
        }
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            int i = 1;
            s.setArray(i++, array(c, "text", rows, RequestRecord::requestId, String[]::new));
            s.setArray(i++, array(c, "int8", rows, r -> epochMicros(r.createdAt()), Long[]::new));
            s.setArray(i++, array(c, "text", rows, RequestRecord::tenantId, String[]::new));
            s.setArray(i++, array(c, "text", rows, RequestRecord::keyId, String[]::new));
            s.setArray(i++, array(c, "text", rows, RequestRecord::model, String[]::new));
            s.setArray(i++, array(c, "text", rows, RequestRecord::upstream, String[]::new));
            s.setArray(i++, array(c, "text", rows, RequestRecord::endpoint, String[]::new));
            s.setArray(i++, array(c, "text", rows, RequestRecord::dialect, String[]::new));
            s.setArray(i++, array(c, "int4", rows, RequestRecord::status, Integer[]::new));
            s.setArray(i++, array(c, "int8", rows, RequestRecord::promptTokens, Long[]::new));
            s.setArray(i++, array(c, "int8", rows, RequestRecord::completionTokens, Long[]::new));
            s.setArray(i++, array(c, "bool", rows, RequestRecord::estimated, Boolean[]::new));
            s.setArray(i++, array(c, "int8", rows, RequestRecord::costMicros, Long[]::new));
            s.setArray(i++, array(c, "int4", rows, RequestRecord::ttfbMs, Integer[]::new));
            s.setArray(i++, array(c, "int4", rows, RequestRecord::totalMs, Integer[]::new));
            s.setArray(i++, array(c, "bool", rows, RequestRecord::stream, Boolean[]::new));
            s.setArray(i++, array(c, "text", rows, RequestRecord::errorCode, String[]::new));
            s.setArray(i++, c.createArrayOf("int4", days));
            new RollupSums(rows, days).bind(c, s, i);
            s.executeUpdate();
        }
    }

    private static void insertPrompts(Connection c, List<RequestRecord> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(PROMPTS)) {
            s.setArray(1, array(c, "text", rows, RequestRecord::requestId, String[]::new));
            s.setArray(2, array(c, "int8", rows, r -> epochMicros(r.createdAt()), Long[]::new));
            s.setArray(3, array(c, "text", rows, RequestRecord::tenantId, String[]::new));
            s.setArray(4, array(c, "text", rows, RequestRecord::keyId, String[]::new));
            s.setArray(5, array(c, "text", rows, RequestRecord::prompt, String[]::new));
            s.executeUpdate();
        }
    }

    /** Microseconds since the epoch, to the nearest (Postgres keeps no finer; a half rounds up). */
    private static long epochMicros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), (at.getNano() + 500) / 1000);
    }

    /**
     * One column of the batch as an array parameter. Typed arrays ({@code String[]}, {@code Long[]}, {@code Integer[]},
     * {@code Boolean[]}) are sent in Postgres' binary format; an {@code Object[]} would be escaped into text.
     */
    private static <T> Array array(Connection c, String type, List<RequestRecord> rows,
                                   Function<RequestRecord, T> column, IntFunction<T[]> arrays) throws SQLException {
        T[] values = arrays.apply(rows.size());
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
