// Why: retention must delete exactly the expired request-log rows and prompts, in bounded batches, never the
// rollups the usage report reads, and only on one replica at a time; rows are seeded at controlled times on a
// real Postgres (its own database, migrated like the gateway's) and the clock is fixed.
package dev.tollgate.usage;

import static dev.tollgate.support.ExternalServices.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.StartupException;
import dev.tollgate.support.ExternalServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogRetentionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** 90 days before NOW: rows created before it have expired. */
    private static final Instant LOG_CUTOFF = Instant.parse("2026-03-03T00:00:00Z");
    /** 30 days before NOW, for prompts. */
    private static final Instant PROMPT_CUTOFF = Instant.parse("2026-05-02T00:00:00Z");
    private DataSource db;
    private LedgerSeeder ledger;

    @BeforeEach
    void freshDatabase() {
        db = ExternalServices.migrated(ExternalServices.freshDatabase());
        ledger = new LedgerSeeder(db, ZoneOffset.UTC);
    }

    private static RetentionProperties props(int batch) {
        RetentionProperties p = new RetentionProperties();
        p.setLogPruneBatch(Integer.toString(batch));
        return p;
    }

    private LogRetention retention(int batch) {
        return new LogRetention(db, CLOCK, props(batch), null);
    }

    /** {@code n} calls of one key, the newest at {@code newest}, one second apart, each with a prompt. */
    private List<LedgerSeeder.Call> calls(int n, Instant newest, String key) {
        List<LedgerSeeder.Call> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(LedgerSeeder.call("ten_r", key, newest.minusSeconds(i)).usage(1, 2, 3).prompt("{\"n\":" + i + "}"));
        }
        return out;
    }

    private String rollups() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM usage_daily ORDER BY day, tenant_id, key_id, model")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.append(rs.getString(i)).append(i == rs.getMetaData().getColumnCount() ? "\n" : "|");
                }
            }
        }
        return out.toString();
    }

    @Test
    void deletesExpiredRowsInBoundedBatchesAndKeepsTheRollups() throws SQLException {
        ledger.write(calls(23, LOG_CUTOFF.minusNanos(1000), "key_old"));        // expired, the newest by 1 µs
        ledger.write(calls(5, LOG_CUTOFF.plusSeconds(4), "key_kept"));         // the oldest exactly at the cutoff
        ledger.write(calls(4, PROMPT_CUTOFF.minusSeconds(1), "key_mid"));      // kept, but their prompts expired
        ledger.write(calls(3, NOW, "key_new"));
        String rollupsBefore = rollups();
        assertThat(count(db, "SELECT sum(requests) FROM usage_daily")).isEqualTo(35);

        LogRetention.Outcome o = retention(7).run();

        assertThat(o.requests().cutoff()).isEqualTo(LOG_CUTOFF);
        assertThat(o.requests().deleted()).isEqualTo(23);
        assertThat(o.requests().rounds()).as("7 + 7 + 7 + 2").isEqualTo(4);
        assertThat(o.requests().busy()).isFalse();
        assertThat(o.prompts().cutoff()).isEqualTo(PROMPT_CUTOFF);
        assertThat(o.prompts().deleted()).isEqualTo(23 + 5 + 4);
        assertThat(o.prompts().rounds()).as("32 prompts: four full batches and a short one").isEqualTo(5);
        assertThat(count(db, "SELECT count(*) FROM request_log WHERE key_id = 'key_old'")).isZero();
        assertThat(count(db, "SELECT count(*) FROM request_log")).isEqualTo(12);
        assertThat(count(db, "SELECT count(*) FROM request_log WHERE key_id = 'key_kept' AND created_at = '2026-03-03T00:00:00Z'"))
                .as("a row exactly at the cutoff stays").isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM prompt_log")).isEqualTo(3);
        assertThat(count(db, "SELECT count(*) FROM prompt_log WHERE key_id = 'key_new'")).isEqualTo(3);
        assertThat(rollups()).as("usage_daily is never touched").isEqualTo(rollupsBefore);

        LogRetention.Outcome again = retention(7).run();
        assertThat(again.requests().deleted()).isZero();
        assertThat(again.requests().rounds()).isEqualTo(1);
        assertThat(again.prompts().deleted()).isZero();
    }

    @Test
    void promptsNeverOutliveTheirRow() throws SQLException {
        ledger.write(calls(3, LOG_CUTOFF.plus(Duration.ofDays(1)), "key_a"));
        RetentionProperties p = props(100);
        p.setLogRetentionDays("10");
        p.setPromptRetentionDays("30");
        LogRetention.Outcome o = new LogRetention(db, CLOCK, p, null).run();
        assertThat(o.requests().deleted()).isEqualTo(3);
        assertThat(o.prompts().cutoff()).isEqualTo(NOW.minus(Duration.ofDays(10)));
        assertThat(o.prompts().deleted()).isEqualTo(3);
    }

    @Test
    void onlyOneReplicaDeletesAtATime() throws Exception {
        ledger.write(calls(10, LOG_CUTOFF.minusSeconds(1), "key_old"));
        try (Connection other = db.getConnection(); PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, LogRetention.LOCK);
            lock.execute();
            LogRetention.Outcome o = retention(7).run();
            assertThat(o.requests().busy()).isTrue();
            assertThat(o.requests().deleted()).isZero();
            assertThat(o.prompts().busy()).isTrue();
            assertThat(count(db, "SELECT count(*) FROM request_log")).isEqualTo(10);
        }

        // replicas pruning together delete every expired row exactly once between them, without errors
        ledger.write(calls(300, LOG_CUTOFF.minusSeconds(100), "key_many"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LogRetention.Outcome>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> retention(7).run()));
            }
            long deleted = 0;
            for (Future<LogRetention.Outcome> run : runs) {
                deleted += run.get().requests().deleted();
            }
            long left = count(db, "SELECT count(*) FROM request_log");
            if (left > 0) {
                deleted += retention(7).run().requests().deleted(); // a run that found the lock taken left the rest
            }
            assertThat(deleted).isEqualTo(310);
            assertThat(count(db, "SELECT count(*) FROM request_log")).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badSettingsNameTheVariable() {
        RetentionProperties p = new RetentionProperties();
        assertThat(p.logRetentionDays()).isEqualTo(90);
        assertThat(p.promptRetentionDays()).isEqualTo(30);
        assertThat(p.logPruneBatch()).isEqualTo(5000);
        assertThatThrownBy(() -> p.setLogRetentionDays("0")).isInstanceOf(StartupException.class)
                .hasMessage("TOLLGATE_LOG_RETENTION_DAYS: must be a whole number of days between 1 and 3650 (got '0')");
        assertThatThrownBy(() -> p.setLogRetentionDays("3651")).hasMessageStartingWith("TOLLGATE_LOG_RETENTION_DAYS:");
        assertThatThrownBy(() -> p.setPromptRetentionDays("a month")).hasMessageStartingWith("TOLLGATE_PROMPT_RETENTION_DAYS:");
        assertThatThrownBy(() -> p.setLogPruneBatch("0")).hasMessageStartingWith("TOLLGATE_LOG_PRUNE_BATCH:");
        p.setLogRetentionDays(" 7 ");
        assertThat(p.logRetentionDays()).isEqualTo(7);
        assertThatThrownBy(() -> p.setLogPruneInterval(Duration.ZERO)).hasMessageStartingWith("TOLLGATE_LOG_PRUNE_INTERVAL:");
        assertThatThrownBy(() -> p.setLogPruneDelay(Duration.ofSeconds(-1))).hasMessageStartingWith("TOLLGATE_LOG_PRUNE_DELAY:");
    }
}
