// Why: the request log's buffer is the product's promise that nothing served goes unrecorded; its size, batch
// and timing are typed and checked at start-up so a bad value stops the gateway instead of losing rows.
package dev.tollgate.usage;

import dev.tollgate.config.StartupException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import java.time.Duration;

@Context
@ConfigurationProperties("tollgate.usage")
public class UsageProperties {
    /** Rows held in memory, written or not; when full, new calls get 503. Env: TOLLGATE_USAGE_BUFFER. */
    private int buffer = 100_000;
    /**
     * Largest batch written in one transaction. Env: TOLLGATE_USAGE_BATCH. 2000, not 500: each batch waits for
     * several replies of Postgres, and on a host whose CPUs the gateway keeps busy each reply waits for a CPU, so
     * at 20k calls/s 500-row batches fell behind (the buffer filled, calls got 503) and 2000-row ones did not.
     */
    private int batch = 2000;
    /** How long a batch waits for more rows before it is written. Env: TOLLGATE_USAGE_FLUSH_INTERVAL. */
    private Duration flushInterval = Duration.ofMillis(200);
    /** How long shutdown waits for the buffer to reach the database. Env: TOLLGATE_USAGE_DRAIN_TIMEOUT. */
    private Duration drainTimeout = Duration.ofSeconds(30);

    public int getBuffer() {
        return buffer;
    }

    public void setBuffer(int buffer) {
        if (buffer < 1 || buffer > 10_000_000) {
            throw new StartupException("TOLLGATE_USAGE_BUFFER: must be between 1 and 10000000 rows (got " + buffer + ")");
        }
        this.buffer = buffer;
    }

    public int getBatch() {
        return batch;
    }

    public void setBatch(int batch) {
        if (batch < 1 || batch > 10_000) {
            throw new StartupException("TOLLGATE_USAGE_BATCH: must be between 1 and 10000 rows (got " + batch + ")");
        }
        this.batch = batch;
    }

    public Duration getFlushInterval() {
        return flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        if (flushInterval == null || flushInterval.isNegative() || flushInterval.compareTo(Duration.ofDays(1)) > 0) {
            throw new StartupException("TOLLGATE_USAGE_FLUSH_INTERVAL: must be between 0s and 1d (got " + flushInterval + ")");
        }
        this.flushInterval = flushInterval;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        if (drainTimeout == null || drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new StartupException("TOLLGATE_USAGE_DRAIN_TIMEOUT: must be between 0s and 1h (got " + drainTimeout + ")");
        }
        this.drainTimeout = drainTimeout;
    }
}
