// Why: the request log grows by one row per call and prompts are sensitive, so both expire (after
// TOLLGATE_LOG_RETENTION_DAYS and TOLLGATE_PROMPT_RETENTION_DAYS) while the daily rollups the usage report reads
// are kept. Rows go in small transactions so neither the writer nor readers wait on a long delete, and an
// advisory lock lets only one replica delete at a time.
package dev.tollgate.usage;

import dev.tollgate.config.ErrorText;
import io.micronaut.context.annotation.Context;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledFuture;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes expired request-log rows and prompts: shortly after start, then every TOLLGATE_LOG_PRUNE_INTERVAL. */
@Context
public class LogRetention {
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
    /** The advisory lock every replica's pruning takes ("tollgate" in ASCII). */
    static final long LOCK = 0x746f6c6c67617465L;
    private final DataSource dataSource;
    private final Clock clock;
    private final RetentionProperties props;
    private final TaskScheduler scheduler;
    private ScheduledFuture<?> task;
    private volatile boolean stopped;

    @Inject
    public LogRetention(DataSource dataSource, DataSourceResolver resolver, Clock clock, RetentionProperties props,
                        @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this(resolver.resolve(dataSource), clock, props, scheduler);
    }

    LogRetention(DataSource dataSource, Clock clock, RetentionProperties props, TaskScheduler scheduler) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.props = props;
        this.scheduler = scheduler;
    }

    /** What one run deleted from one table; {@code busy} when another replica held the lock. */
    public record Pruned(String table, Instant cutoff, long deleted, int rounds, boolean busy) {
    }

    /** What one run deleted. */
    public record Outcome(Pruned requests, Pruned prompts) {
    }

    @PostConstruct
    void schedule() {
        if (scheduler != null) {
            task = scheduler.scheduleWithFixedDelay(props.logPruneDelay(), props.logPruneInterval(), this::runAndLog);
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (task != null) {
            task.cancel(false);
        }
    }

    private void runAndLog() {
        try {
            Outcome o = run();
            if (o.requests().deleted() + o.prompts().deleted() > 0) {
                LOG.info("log retention: deleted {} request-log rows created before {} ({} batches) and {} prompts "
                                + "created before {} ({} batches)", o.requests().deleted(), o.requests().cutoff(),
                        o.requests().rounds(), o.prompts().deleted(), o.prompts().cutoff(), o.prompts().rounds());
            } else if (o.requests().busy() || o.prompts().busy()) {
                LOG.debug("log retention: another replica is pruning");
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("log retention: pruning failed, retrying in {} ({})", props.logPruneInterval(),
                    ErrorText.firstLine(e));
        }
    }

    /** Deletes what has expired at the clock's now; prompts go with their row at the latest. */
    public Outcome run() throws SQLException {
        Instant now = clock.instant();
        int promptDays = Math.min(props.promptRetentionDays(), props.logRetentionDays());
        Pruned requests = prune("request_log", now.minus(Duration.ofDays(props.logRetentionDays())));
        Pruned prompts = prune("prompt_log", now.minus(Duration.ofDays(promptDays)));
        return new Outcome(requests, prompts);
    }

    /**
     * Deletes rows of {@code table} created before {@code cutoff}, oldest first, at most one batch per transaction
     * (found through the created_at index, deleted by ctid), until a batch comes back short. Each transaction
     * first takes the advisory lock; when another replica holds it, this run leaves the rest to that one.
     */
    private Pruned prune(String table, Instant cutoff) throws SQLException {
        String delete = "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
                + " WHERE created_at < ? ORDER BY created_at LIMIT ?))";
        int batch = props.logPruneBatch();
        long deleted = 0;
        int rounds = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)");
                 PreparedStatement s = c.prepareStatement(delete)) {
                while (!stopped) {
                    if (!locked(lock)) {
                        c.rollback();
                        return new Pruned(table, cutoff, deleted, rounds, true);
                    }
                    s.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                    s.setInt(2, batch);
                    int n = s.executeUpdate();
                    c.commit();
                    rounds++;
                    deleted += n;
                    if (n < batch) {
                        break;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Pruned(table, cutoff, deleted, rounds, false);
    }

    private static boolean locked(PreparedStatement lock) throws SQLException {
        lock.setLong(1, LOCK);
        try (ResultSet rs = lock.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
