// Why: the contract shows each key's last use, but a database write per proxied request would put the database
// on the hot path. Uses are kept in memory (key id → latest use) and written in one statement every
// TOLLGATE_LAST_USED_FLUSH and at shutdown; the statement only ever moves a time forward, so replicas flushing
// in any order leave the latest use.
package dev.tollgate.keys;

import io.micronaut.context.annotation.Context;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Collects key uses and writes them in batches. */
@Context
public class LastUsedTracker {
    private static final Logger LOG = LoggerFactory.getLogger(LastUsedTracker.class);
    static final String UPDATE = "UPDATE api_keys AS k SET last_used_at = u.at::timestamptz"
            + " FROM unnest(?::text[], ?::text[]) AS u(id, at)"
            + " WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at::timestamptz)";
    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final KeyProperties props;
    private final TaskScheduler scheduler;
    private final AtomicLong statements = new AtomicLong();
    private ScheduledFuture<?> task;

    public LastUsedTracker(DataSource dataSource, DataSourceResolver resolver, KeyProperties props,
                           @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.dataSource = resolver.resolve(dataSource);
        this.props = props;
        this.scheduler = scheduler;
    }

    @PostConstruct
    void schedule() {
        task = scheduler.scheduleWithFixedDelay(props.lastUsedFlush(), props.lastUsedFlush(), this::flushAndLog);
    }

    /** Notes a use of the key at {@code at}; only the latest use per key is kept. Cheap: one map merge. */
    public void used(String keyId, Instant at) {
        pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** How many UPDATE statements this replica has run (one per flush that had uses to write). */
    public long statements() {
        return statements.get();
    }

    /**
     * Writes every noted use in one statement and answers how many keys it named; uses that could not be written
     * are kept for the next flush.
     */
    public synchronized int flush() {
        List<String> ids = new ArrayList<>();
        List<String> times = new ArrayList<>();
        for (String id : List.copyOf(pending.keySet())) {
            Instant at = pending.remove(id);
            if (at != null) {
                ids.add(id);
                times.add(at.toString());
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setArray(2, c.createArrayOf("text", times.toArray()));
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            statements.incrementAndGet();
            return ids.size();
        } catch (SQLException | RuntimeException e) {
            for (int i = 0; i < ids.size(); i++) {
                used(ids.get(i), Instant.parse(times.get(i)));
            }
            throw new IllegalStateException("cannot write the last use of " + ids.size() + " keys", e);
        }
    }

    private void flushAndLog() {
        try {
            flush();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            LOG.warn("keys: {} ({}); retrying at the next flush", e.getMessage(), why.lines().findFirst().orElse(""));
        }
    }

    /** Shutdown writes what is left (the database is closed after this bean). */
    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
        flushAndLog();
    }
}
