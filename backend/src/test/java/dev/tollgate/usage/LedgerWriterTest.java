// Why: a batch of the request log is written again when its commit went through but the acknowledgement was lost
// (a database or network outage at the wrong moment). Written first as it is and again only after a duplicate id,
// every row must still be stored once and counted once in the daily rollups, prompts included; on a real Postgres.
package dev.tollgate.usage;

import static dev.tollgate.support.ExternalServices.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.ExternalServices;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerWriterTest {
    private static final Instant AT = Instant.parse("2026-12-02T09:00:00Z");
    private DataSource db;
    private LedgerWriter writer;

    @BeforeEach
    void freshDatabase() {
        db = ExternalServices.migrated(ExternalServices.freshDatabase());
        writer = new LedgerWriter(db, ZoneOffset.UTC);
    }

    private static RequestRecord row(String id, long prompt, long completion, long micros, String promptBody) {
        return LedgerSeeder.call("ten_w", "key_w", AT).id(id).usage(prompt, completion, micros).prompt(promptBody).record();
    }

    @Test
    void aBatchWrittenAgainIsStoredAndCountedOnce() throws Exception {
        List<RequestRecord> first = List.of(row("req_a", 1, 10, 100, "{\"a\":1}"), row("req_b", 2, 20, 200, null));
        writer.write(first);
        writer.write(first); // the retry of a batch whose commit was not acknowledged
        assertThat(totals()).isEqualTo(new Totals(2, 2, 3, 30, 300, 1));

        // a retry that also carries rows the first attempt never had: only those are added
        writer.write(Stream.concat(first.stream(), Stream.of(row("req_c", 4, 40, 400, "{\"c\":3}"))).toList());
        assertThat(totals()).isEqualTo(new Totals(3, 3, 7, 70, 700, 2));
    }

    @Test
    void anIdTwiceInOneBatchIsStoredOnce() throws Exception {
        writer.write(List.of(row("req_d", 5, 50, 500, null), row("req_d", 5, 50, 500, null), row("req_e", 1, 1, 1, null)));
        assertThat(totals()).isEqualTo(new Totals(2, 2, 6, 51, 501, 0));
    }

    @Test
    void freshBatchesAddUp() throws Exception {
        for (int b = 0; b < 5; b++) {
            writer.write(List.of(row("req_f" + b, 1, 2, 3, null), row("req_g" + b, 1, 2, 3, "{}")));
        }
        assertThat(totals()).isEqualTo(new Totals(10, 10, 10, 20, 30, 5));
    }

    @Test
    void eachGroupOfABatchAddsExactlyItsOwnRows() throws Exception {
        // two days, two tenants, two keys, a named and an unnamed model, failures: each its own rollup row
        Instant nextDay = AT.plus(java.time.Duration.ofDays(1));
        List<RequestRecord> batch = new java.util.ArrayList<>();
        int n = 0;
        for (Instant at : List.of(AT, nextDay)) {
            for (String tenant : List.of("ten_x", "ten_y")) {
                for (String key : List.of("key_1", "key_2")) {
                    for (String model : java.util.Arrays.asList("llama3.2", null)) {
                        n++;
                        batch.add(LedgerSeeder.call(tenant, key + tenant, at).id("req_m" + n).model(model)
                                .usage(n, 10L * n, 100L * n).record());
                        batch.add(LedgerSeeder.call(tenant, key + tenant, at).id("req_m" + n + "f").model(model)
                                .failed(502, "upstream_failed").usage(1, 0, n).record());
                    }
                }
            }
        }
        writer.write(batch.subList(0, 20));
        writer.write(batch); // a retry carrying the first twenty again
        writer.write(List.of(LedgerSeeder.call("ten_x", "key_1ten_x", AT).id("req_m_late").model("llama3.2")
                .usage(5, 6, 7).record())); // a later batch adding to an existing group

        String fromLog = "SELECT day, tenant_id, key_id, coalesce(model, '') AS model, count(*) AS requests, "
                + "count(error_code) AS errors, sum(prompt_tokens) AS prompt_tokens, "
                + "sum(completion_tokens) AS completion_tokens, sum(cost_micros) AS cost_micros "
                + "FROM request_log GROUP BY 1, 2, 3, 4";
        String rollup = "SELECT day, tenant_id, key_id, model, requests, errors, prompt_tokens, completion_tokens, "
                + "cost_micros FROM usage_daily";
        assertThat(count(db, "SELECT count(*) FROM usage_daily")).isEqualTo(16);
        assertThat(count(db, "SELECT count(*) FROM (" + fromLog + ") l")).isEqualTo(16);
        assertThat(count(db, "SELECT count(*) FROM ((" + fromLog + ") EXCEPT (" + rollup + ")) d")).isZero();
        assertThat(count(db, "SELECT requests * 1000 + errors FROM usage_daily WHERE tenant_id = 'ten_x' "
                + "AND key_id = 'key_1ten_x' AND model = 'llama3.2' AND day = '2026-12-02'")).isEqualTo(3001);
        assertThat(count(db, "SELECT count(*) FROM usage_daily WHERE model = '' AND requests = 2 AND errors = 1"))
                .isEqualTo(8);
    }

    @Test
    void everyColumnIsStoredAsItWasRecorded() throws Exception {
        // 23:30:00.1234565 UTC is the next day in Tokyo; Postgres keeps microseconds, rounding the half up
        Instant at = Instant.parse("2026-12-02T23:30:00.123456500Z");
        String odd = "quote\" back\\slash, {brace} NULL 'x' é";
        RequestRecord record = new RequestRecord("req_cols", at, "ten_c", "key_c", odd, null, "/api/chat", "ollama",
                499, 7, 0, true, 42, null, 1234, false, "client_closed", "{\"p\":\"é\"}");
        new LedgerWriter(db, java.time.ZoneId.of("Asia/Tokyo")).write(List.of(record));

        try (var c = db.getConnection(); var s = c.createStatement(); var r = s.executeQuery(
                "SELECT created_at = '2026-12-02T23:30:00.123457Z', day, model, upstream, endpoint, dialect, status, "
                        + "prompt_tokens, completion_tokens, estimated, cost_micros, ttfb_ms, total_ms, stream, error_code "
                        + "FROM request_log WHERE request_id = 'req_cols'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getBoolean(1)).as("created_at to the microsecond").isTrue();
            assertThat(r.getString(2)).isEqualTo("2026-12-03");
            assertThat(r.getString(3)).isEqualTo(odd);
            assertThat(r.getString(4)).isNull();
            assertThat(List.of(r.getString(5), r.getString(6))).containsExactly("/api/chat", "ollama");
            assertThat(r.getInt(7)).isEqualTo(499);
            assertThat(List.of(r.getLong(8), r.getLong(9), r.getLong(11))).containsExactly(7L, 0L, 42L);
            assertThat(r.getBoolean(10)).isTrue();
            assertThat(r.getObject(12)).isNull();
            assertThat(r.getInt(13)).isEqualTo(1234);
            assertThat(r.getBoolean(14)).isFalse();
            assertThat(r.getString(15)).isEqualTo("client_closed");
        }
        assertThat(count(db, "SELECT count(*) FROM usage_daily WHERE day = '2026-12-03' AND model = 'quote\" back\\slash, "
                + "{brace} NULL ''x'' é' AND errors = 1 AND cost_micros = 42")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM prompt_log WHERE request_id = 'req_cols' AND tenant_id = 'ten_c' "
                + "AND key_id = 'key_c' AND created_at = '2026-12-02T23:30:00.123457Z' AND body = '{\"p\":\"é\"}'"))
                .isEqualTo(1);
    }

    private record Totals(long rows, long requests, long prompt, long completion, long micros, long prompts) {
    }

    private Totals totals() {
        return new Totals(count(db, "SELECT count(*) FROM request_log"),
                count(db, "SELECT coalesce(sum(requests), 0) FROM usage_daily"),
                count(db, "SELECT coalesce(sum(prompt_tokens), 0) FROM usage_daily"),
                count(db, "SELECT coalesce(sum(completion_tokens), 0) FROM usage_daily"),
                count(db, "SELECT coalesce(sum(cost_micros), 0) FROM usage_daily"),
                count(db, "SELECT count(*) FROM prompt_log"));
    }
}
