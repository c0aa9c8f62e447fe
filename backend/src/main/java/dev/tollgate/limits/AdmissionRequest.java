// Why: everything one admission decision needs, computed before the store is called, so the store's work is
// one atomic step (one Lua script in Redis).
package dev.tollgate.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reserve {@code tokens} and {@code costMicros} (the estimate) and one request against every meter, and take a
 * concurrency lease of {@code lease}, only if every meter has room.
 */
public record AdmissionRequest(
        String requestId,
        String tenantId,
        List<Meter> meters,
        long tokens,
        long costMicros,
        Duration lease,
        Instant now) {

    public AdmissionRequest {
        meters = List.copyOf(meters);
        if (tokens < 0 || costMicros < 0) {
            throw new IllegalArgumentException("estimates must be >= 0");
        }
    }

    /** The amount this request adds to a meter. */
    public long amountFor(Meter meter) {
        return switch (meter.quantity()) {
            case REQUESTS, CONCURRENCY -> 1;
            case TOKENS -> tokens;
            case MICROS -> costMicros;
        };
    }
}
