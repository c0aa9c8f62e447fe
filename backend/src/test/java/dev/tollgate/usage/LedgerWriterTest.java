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
