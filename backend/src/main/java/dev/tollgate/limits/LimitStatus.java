// Why: operators need to see how much of each limit a key and its tenant have used (GET /admin/api/keys/{id}/status);
// this reads the very meters admission checks, at one instant, without reserving or changing anything.
package dev.tollgate.limits;

import dev.tollgate.limits.Admission.MeterState;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Singleton
public class LimitStatus {
    private static final Logger LOG = LoggerFactory.getLogger(LimitStatus.class);
    /** An admin read is off the hot path: it may wait longer than an admission, but never hangs. */
    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    private final LimitStore store;
    private final Clock clock;
    private final Duration timeout;

    public LimitStatus(LimitStore store, Clock clock, LimitProperties properties) {
        this.store = store;
        this.clock = clock;
        this.timeout = properties.getTimeout().compareTo(MIN_TIMEOUT) > 0 ? properties.getTimeout() : MIN_TIMEOUT;
    }

    /**
     * Every limit of the key and its tenant (the key's first, each in {@link MeterPlan}'s order) as it stands now;
     * empty when neither has a limit. Blocks up to the limit timeout (at least 1 s).
     *
     * @throws LimitStateUnavailable when the limit state does not answer in time or fails
     */
    public List<MeterState> of(String tenantId, Limits tenantLimits, String keyId, Limits keyLimits) {
        List<Meter> meters = MeterPlan.of(tenantLimits, keyLimits, keyId);
        if (meters.isEmpty()) {
            return List.of();
        }
        CompletableFuture<List<MeterState>> read;
        try {
            read = store.peek(tenantId, meters, clock.instant()).toCompletableFuture();
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        try {
            return read.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warn("Limit state unreachable while reading the status of key {}: {}", keyId, cause.toString());
            throw new LimitStateUnavailable("The limit state cannot be read right now; retry shortly.");
        }
    }
}
