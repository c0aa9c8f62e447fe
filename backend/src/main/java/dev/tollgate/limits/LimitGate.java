// Why: the one place where a request meets its limits. Before forwarding it reserves the estimate against every
// limit of the key and its tenant in one atomic store call; the returned Reservation carries the x-ratelimit-*
// headers, renews its concurrency lease while the response runs, and settles exactly once when it ends. Fail mode
// decides what happens when the limit state cannot answer in time.
package dev.tollgate.limits;

import dev.tollgate.config.Settings;
import dev.tollgate.keys.Caller;
import dev.tollgate.limits.Admission.Admitted;
import dev.tollgate.limits.Admission.Refused;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Singleton
public class LimitGate {
    private static final Logger LOG = LoggerFactory.getLogger(LimitGate.class);
    /** The longest one request keeps its concurrency slot by renewing it (a stream running longer loses the slot). */
    static final java.time.Duration MAX_RENEWAL = java.time.Duration.ofHours(2);
    private final LimitStore store;
    private final LimitProperties properties;
    private final Settings.FailMode failMode;
    private final Clock clock;
    private final List<AdmissionListener> listeners;
    private final ScheduledThreadPoolExecutor timers;
    private final AtomicLong unenforced = new AtomicLong();
    /** Reservations of requests still running on this replica; one sweep renews their leases. */
    private final Set<Reservation> open = ConcurrentHashMap.newKeySet();

    public LimitGate(LimitStore store, LimitProperties properties, Settings settings, Clock clock,
                     List<AdmissionListener> listeners) {
        this.store = store;
        this.properties = properties;
        this.failMode = settings.failMode();
        this.clock = clock;
        this.listeners = List.copyOf(listeners);
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tollgate-leases");
            t.setDaemon(true);
            return t;
        });
        long every = properties.renewEvery().toMillis();
        this.timers.scheduleAtFixedRate(this::renewOpen, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Reserves one request and its {@link Demand} against every limit of the caller's key and tenant; the demand is
     * computed only when there is a limit to check.
     * Completes with the reservation, or fails with {@link LimitRefusal} (a limit has no room: nothing was reserved)
     * or {@link LimitStateUnavailable} (fail mode closed and the limit state did not answer within the timeout).
     */
    public CompletableFuture<Reservation> admit(Caller caller, String requestId, Supplier<Demand> demand) {
        List<Meter> meters = MeterPlan.of(caller.tenantLimits(), caller.keyLimits(), caller.keyId());
        if (meters.isEmpty()) {
            return CompletableFuture.completedFuture(Reservation.UNLIMITED);
        }
        Instant now = clock.instant();
        Demand d = demand.get();
        AdmissionRequest request = new AdmissionRequest(requestId, caller.tenantId(), meters, d.tokens(), d.costMicros(),
                properties.getLease(), now);
        CompletableFuture<Admission> decided;
        try {
            decided = store.admit(request).toCompletableFuture();
        } catch (RuntimeException e) {
            decided = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Admission> answer = decided;
        return decided.copy().orTimeout(properties.getTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((admission, error) -> {
                    if (error != null) {
                        releaseIfAdmittedLate(answer, caller.tenantId(), requestId);
                    }
                    if (error != null) {
                        return unavailable(caller, requestId, error);
                    }
                    if (admission instanceof Refused refused) {
                        throw new LimitRefusal(refused.meter(), refused.retryAfterSeconds());
                    }
                    Admitted admitted = (Admitted) admission;
                    for (AdmissionListener listener : listeners) {
                        try {
                            listener.admitted(caller, admitted, now);
                        } catch (RuntimeException e) {
                            LOG.warn("Admission listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
                        }
                    }
                    boolean boundsOutput = meters.stream().anyMatch(m -> m.quantity() == Meter.Quantity.TOKENS
                            || m.quantity() == Meter.Quantity.MICROS);
                    return new Reservation(this, caller.tenantId(), requestId, RateLimitHeaders.of(admitted.meters(), now),
                            boundsOutput, now);
                });
    }

    /**
     * The store answered after the timeout (the request was already refused or served unenforced): if it admitted,
     * nothing was served under that reservation, so settle it to zero at once (its request stays counted).
     */
    private void releaseIfAdmittedLate(CompletableFuture<Admission> answer, String tenantId, String requestId) {
        answer.thenAccept(late -> {
            if (late instanceof Admitted) {
                settle(tenantId, requestId, 0, 0, true, 0);
            }
        });
    }

    /** Requests served without enforcement since start (fail mode open while the limit state was unreachable). */
    public long unenforcedCount() {
        return unenforced.get();
    }

    private Reservation unavailable(Caller caller, String requestId, Throwable error) {
        String cause = rootMessage(error);
        if (failMode == Settings.FailMode.OPEN) {
            long n = unenforced.incrementAndGet();
            LOG.warn("Limit state unreachable ({}): serving request {} of key {} without limits (fail mode open; {} unenforced so far)",
                    cause, requestId, caller.keyId(), n);
            return Reservation.UNENFORCED;
        }
        LOG.warn("Limit state unreachable ({}): refusing request {} with 503 (fail mode closed)", cause, requestId);
        throw new LimitStateUnavailable("The gateway cannot check this key's limits right now; retry shortly.");
    }

    // ---- called by Reservation ----

    void opened(Reservation reservation) {
        open.add(reservation);
    }

    void settle(Reservation reservation, long tokens, long costMicros, boolean measured) {
        open.remove(reservation);
        settle(reservation.tenantId(), reservation.requestId(), tokens, costMicros, measured, 0);
    }

    /**
     * Every lease/3: extends the leases of the requests still running here, except those admitted less than lease/3
     * ago (their first lease is still fresh), so a lease never runs out under a live request. A reservation nobody
     * settled for {@link #MAX_RENEWAL} is dropped (a safety net): its lease then runs out like a dead replica's.
     */
    private void renewOpen() {
        Instant now = clock.instant();
        Instant freshAfter = now.minus(properties.renewEvery());
        Instant abandonBefore = now.minus(MAX_RENEWAL);
        for (Reservation r : open) {
            if (r.admittedAt().isBefore(abandonBefore)) {
                open.remove(r);
            } else if (!r.admittedAt().isAfter(freshAfter)) {
                store.renew(r.tenantId(), r.requestId(), properties.getLease(), now).exceptionally(e -> {
                    LOG.debug("Could not renew the lease of {}: {}", r.requestId(), rootMessage(e));
                    return false;
                });
            }
        }
    }

    private void settle(String tenantId, String requestId, long tokens, long costMicros, boolean measured, int attempt) {
        Settlement settlement = new Settlement(requestId, tenantId, tokens, costMicros, measured, clock.instant());
        CompletableFuture<Void> done;
        try {
            done = store.settle(settlement).toCompletableFuture();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.orTimeout(properties.getTimeout().toMillis() * 4, TimeUnit.MILLISECONDS).whenComplete((ok, error) -> {
            if (error == null) {
                return;
            }
            // Until the lease ends the reservation is still there to settle; after that its slot is free anyway
            // and its reserved amounts stay counted (never refund what was not settled).
            long delay = 1000L << attempt;
            if (delay < properties.getLease().toMillis()) {
                timers.schedule(() -> settle(tenantId, requestId, tokens, costMicros, measured, attempt + 1), delay,
                        TimeUnit.MILLISECONDS);
            } else {
                LOG.warn("Could not settle request {} ({}); its lease will expire and its reservation stays counted",
                        requestId, rootMessage(error));
            }
        });
    }

    @PreDestroy
    void close() {
        timers.shutdownNow();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
