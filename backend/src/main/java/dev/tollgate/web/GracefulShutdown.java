// Why: the order of a graceful shutdown, between closing the listeners and closing the context: the answers in flight
// finish (ConnectionDrain), then the calls they belong to settle and queue their rows in the request log, so the
// context's close (which writes the request log's buffer) finds nothing still under way. Both waits share one
// deadline, TOLLGATE_PROXY_DRAIN_TIMEOUT.
package dev.tollgate.web;

import dev.tollgate.config.ProxyProperties;
import dev.tollgate.usage.BufferedUsageSink;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Singleton
public class GracefulShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final ConnectionDrain connections;
    private final BufferedUsageSink usageLog;
    private final Duration timeout;

    public GracefulShutdown(ConnectionDrain connections, BufferedUsageSink usageLog, ProxyProperties properties) {
        this.connections = connections;
        this.usageLog = usageLog;
        this.timeout = properties.getDrainTimeout();
    }

    /** Call once the listeners are closed; returns when everything in flight has ended, or at the deadline. */
    public void drain() {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(timeout);
        int open = connections.open();
        LOG.info("shutdown: listeners closed; waiting up to {} for {} client connection(s) to finish", timeout, open);
        try {
            int left = connections.drain(deadline);
            int unrecorded = usageLog.awaitServed(deadline);
            long took = (System.nanoTime() - start) / 1_000_000;
            if (left > 0 || unrecorded > 0) {
                LOG.warn("shutdown: after {} ms, {} client connection(s) still open and {} call(s) unrecorded are cut off",
                        took, left, unrecorded);
            } else {
                LOG.info("shutdown: every answer in flight finished and recorded in {} ms", took);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
