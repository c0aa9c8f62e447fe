// Why: the end of a request (completed, failed or cancelled): replace the reserved estimate by what was
// measured and release the concurrency lease.
package dev.tollgate.limits;

import java.time.Instant;

/**
 * Settles a reservation. With {@code measured} false the upstream reported nothing usable: the reserved amounts
 * stay counted (usage that was not measured is never refunded) and only the lease is released.
 */
public record Settlement(String requestId, String tenantId, long tokens, long costMicros, boolean measured, Instant now) {
}
