// Why: the request log is written off the request path, in batches, and must survive a database outage: rows
// wait in a bounded buffer and are retried until written, shutdown drains them, and when the buffer is full the
// gateway refuses new calls rather than serving them unrecorded. Room is claimed before a call is served and
// given back only once its row is in the database, so the bound covers calls in flight too.
package dev.tollgate.usage;

import dev.tollgate.config.ErrorText;
import dev.tollgate.config.Settings;
import dev.tollgate.web.Deadline;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Singleton
public class BufferedUsageSink implements UsageSink {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedUsageSink.class);
    /** Put in the queue to wake the writer for shutdown; never written. */
    private static final RequestRecord WAKE = new RequestRecord("", Instant.EPOCH, "", "", null, null, "", "", 0, 0, 0,
            false, 0, null, 0, false, null, null);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final LedgerWriter ledger;
    private final int capacity;
    private final int batchSize;
    private final long flushNanos;
    private final Duration drainTimeout;
    private final Semaphore room;
    private final LinkedBlockingQueue<RequestRecord> queue = new LinkedBlockingQueue<>();
    /** How often a gathering batch is looked at before its flush interval ends. */
    private static final long FILL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Slots claimed and neither recorded nor released: calls being served. */
    private final AtomicInteger serving = new AtomicInteger();
    private volatile boolean awaitingServed;
    private final Thread writer;
    private volatile boolean draining;
    private volatile boolean failing;

    public BufferedUsageSink(DataSource dataSource, DataSourceResolver resolver, Settings settings, UsageProperties props) {
        this(new LedgerWriter(resolver.resolve(dataSource), settings.timezone()), props);
    }

    BufferedUsageSink(LedgerWriter ledger, UsageProperties props) {
        this.ledger = ledger;
        this.capacity = props.getBuffer();
        this.batchSize = props.getBatch();
        this.flushNanos = props.getFlushInterval().toNanos();
        this.drainTimeout = props.getDrainTimeout();
        this.room = new Semaphore(capacity);
        this.writer = new Thread(this::run, "tollgate-request-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public Slot claim() {
        if (!room.tryAcquire()) {
            return null;
        }
        serving.incrementAndGet();
        return new BufferSlot();
    }

    /**
     * Shutdown, after the client connections have closed: waits until every call served has queued its row (or
     * released its room), at most until {@code deadline}, so that none is still settling when the context closes.
     * Answers how many calls were still unrecorded then.
     */
    public int awaitServed(Deadline deadline) throws InterruptedException {
        awaitingServed = true;
        deadline.await(serving, () -> serving.get() == 0);
        return serving.get();
    }

    private void served() {
        if (serving.decrementAndGet() == 0 && awaitingServed) {
            synchronized (serving) {
                serving.notifyAll();
            }
        }
    }

    /** Rows claimed or queued and not yet in the database. */
    public int pending() {
        return capacity - room.availablePermits();
    }

    public int capacity() {
        return capacity;
    }

    /** Rows written since start. */
    public long written() {
        return written.get();
    }

    /** True while the last write attempt failed (the database is unreachable). */
    public boolean failing() {
        return failing;
    }

    private final class BufferSlot implements Slot {
        private final AtomicBoolean done = new AtomicBoolean();

        @Override
        public void record(RequestRecord row) {
            if (done.compareAndSet(false, true)) {
                queue.add(row); // the room stays taken until the row is written
                served();
            }
        }

        @Override
        public void release() {
            if (done.compareAndSet(false, true)) {
                room.release();
                served();
            }
        }
    }

    private void run() {
        List<RequestRecord> batch = new ArrayList<>(batchSize);
        Duration backoff = Duration.ofMillis(100);
        long failingSince = 0;
        long lastReport = 0;
        while (true) {
            try {
                if (batch.isEmpty() && !collect(batch)) {
                    return; // drained
                }
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                write(batch);
                if (failing) {
                    failing = false;
                    LOG.info("request log: database reachable again after {} s; {} rows still buffered",
                            (System.nanoTime() - failingSince) / 1_000_000_000L, pending());
                }
                batch.clear();
                backoff = Duration.ofMillis(100);
            } catch (SQLException | RuntimeException e) {
                long now = System.nanoTime();
                if (!failing) {
                    failing = true;
                    failingSince = now;
                    lastReport = now;
                    LOG.warn("request log: cannot write to the database ({}); {} rows buffered of {}, retrying",
                            ErrorText.firstLine(e), pending(), capacity);
                } else if (now - lastReport >= REPORT_EVERY.toNanos()) {
                    lastReport = now;
                    LOG.warn("request log: database still unreachable ({}); {} rows buffered of {}",
                            ErrorText.firstLine(e), pending(), capacity);
                }
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Fills {@code batch} with the next rows: waits for a first one, then up to the flush interval for more (none
     * while draining). False when draining and nothing is left.
     */
    private boolean collect(List<RequestRecord> batch) throws InterruptedException {
        RequestRecord first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return !draining;
        }
        if (first != WAKE) {
            batch.add(first);
        }
        long deadline = System.nanoTime() + flushNanos;
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            batch.removeIf(r -> r == WAKE);
            long wait = deadline - System.nanoTime();
            if (batch.size() >= batchSize || draining || wait <= 0) {
                break;
            }
            // Let rows gather instead of taking them one by one: waiting on the queue would wake this thread for
            // every request (a futex wake and a context switch each, thousands a second). It looks again every
            // FILL_CHECK, so a full batch or a shutdown waits at most that long.
            LockSupport.parkNanos(this, Math.min(wait, FILL_CHECK_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return !batch.isEmpty() || !draining || !queue.isEmpty();
    }

    /** Writes the batch; a row the database rejects as invalid is logged and dropped so it cannot block the rest. */
    private void write(List<RequestRecord> batch) throws SQLException {
        try {
            ledger.write(batch);
            done(batch.size());
        } catch (SQLException e) {
            if (!rejectsData(e)) {
                throw e;
            }
            for (RequestRecord row : batch) {
                try {
                    ledger.write(List.of(row));
                    done(1);
                } catch (SQLException one) {
                    if (!rejectsData(one)) {
                        throw one;
                    }
                    dropped.incrementAndGet();
                    room.release();
                    LOG.error("request log: the database rejected the row of request {} ({}); it is not recorded",
                            row.requestId(), ErrorText.firstLine(one));
                }
            }
            batch.clear();
        }
    }

    private void done(int rows) {
        written.addAndGet(rows);
        room.release(rows);
    }

    /** SQL states of class 22 (data exception) and 23 (integrity violation): retrying cannot help. */
    private static boolean rejectsData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Waits before the next attempt; false when the writer is being stopped. */
    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Shutdown: writes what is buffered, for at most the drain timeout, and reports what could not be written. */
    @PreDestroy
    public void close() {
        draining = true;
        queue.add(WAKE);
        try {
            writer.join(Math.max(1, drainTimeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
            LOG.error("request log: {} rows could not be written before shutdown (database unreachable for {})",
                    pending(), drainTimeout);
        } else {
            LOG.info("request log: flushed; {} rows written since start", written.get());
        }
    }
}
