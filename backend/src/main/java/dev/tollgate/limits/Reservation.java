// Why: what an admitted request holds until it ends: its place in every limit (and its concurrency lease, renewed
// while it runs) plus the x-ratelimit-* headers to send. Settling replaces the estimate by the measured usage, or
// keeps it when nothing could be measured, and happens exactly once whatever ends the request.
package dev.tollgate.limits;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

public final class Reservation {
    /** A caller without limits: nothing to reserve, settle or renew. */
    public static final Reservation UNLIMITED = new Reservation(null, null, null, Map.of(), false, null);
    /** Fail mode open with the limit state unreachable: served without enforcement. */
    public static final Reservation UNENFORCED = new Reservation(null, null, null, Map.of(), false, null);

    private final LimitGate gate;
    private final String tenantId;
    private final String requestId;
    private final Map<String, String> headers;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final boolean boundsOutput;
    private final Instant admittedAt;

    Reservation(LimitGate gate, String tenantId, String requestId, Map<String, String> headers, boolean boundsOutput,
                Instant admittedAt) {
        this.gate = gate;
        this.boundsOutput = boundsOutput;
        this.admittedAt = admittedAt;
        this.tenantId = tenantId;
        this.requestId = requestId;
        this.headers = headers;
        if (gate != null) {
            gate.opened(this); // its lease is renewed while it runs
        }
    }

    /** The x-ratelimit-* headers of the admission (empty without limits). */
    public Map<String, String> headers() {
        return headers;
    }

    /** True when a token limit or a budget counts this request: its output must not exceed what was reserved. */
    public boolean boundsOutput() {
        return boundsOutput;
    }

    /** Settles to what the upstream reported: {@code tokens} in all and {@code costMicros}. */
    public void settleMeasured(long tokens, long costMicros) {
        settle(tokens, costMicros, true);
    }

    /** Nothing could be measured (client gone, upstream failed mid-answer): the estimate stays counted. */
    public void settleUnmeasured() {
        settle(0, 0, false);
    }

    private void settle(long tokens, long costMicros, boolean measured) {
        if (gate == null || !settled.compareAndSet(false, true)) {
            return;
        }
        gate.settle(this, tokens, costMicros, measured);
    }

    String tenantId() {
        return tenantId;
    }

    String requestId() {
        return requestId;
    }

    Instant admittedAt() {
        return admittedAt;
    }
}
