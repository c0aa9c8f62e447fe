// Why: the seam between the admission logic and where counters live. Redis makes limits exact across any
// number of replicas; the in-process store serves embedded mode. Both pass the same contract test suite.
package dev.tollgate.limits;

import dev.tollgate.limits.Admission.MeterState;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Atomic admission and settlement of requests against meters.
 *
 * <ul>
 *   <li>{@link #admit}: in one atomic step, checks every meter (dropping expired leases first) and, only if all have
 *       room for this request, adds the request's amounts to each meter's current window, takes a lease, and records
 *       the reservation under the request id (with the lease as its lifetime). Request ids are unique.</li>
 *   <li>{@link #settle}: adds {@code measured - reserved} to the windows the reservation counted in (not the current
 *       ones, which may have moved on) and releases the lease. Settling an unknown or already settled id does
 *       nothing. A reservation never settled (replica killed) keeps its amounts; only its lease expires.</li>
 *   <li>{@link #renew}: a request still running (a long stream) extends its lease, and its reservation's lifetime, to
 *       {@code now + lease}, so a lease only runs out for requests whose replica stopped renewing it.</li>
 *   <li>{@link #peek}: reads the meters as admission would count them at {@code now}, changing nothing.</li>
 * </ul>
 * Every key a store writes expires: windows after they end, reservations and leases with the lease.
 */
public interface LimitStore {
    CompletionStage<Admission> admit(AdmissionRequest request);

    CompletionStage<Void> settle(Settlement settlement);

    /** Extends an unsettled reservation's leases to {@code now + lease}; false if there is none (settled or expired). */
    CompletionStage<Boolean> renew(String tenantId, String requestId, java.time.Duration lease, Instant now);

    /**
     * What each meter holds at {@code now}, in the order of {@code meters}, read in one atomic step that creates,
     * deletes and expires nothing. {@code used} is what an admission at {@code now} would count: a window's counters
     * that have not expired (sliding: the buckets still in the window), or the leases that end after {@code now};
     * {@code resetAt} is when the whole limit is free again: the window's end for calendar kinds, when the newest
     * usage leaves a sliding window ({@code now} if there is none), and {@code null} for TOTAL and concurrency
     * (in-flight requests free their slots when they end, not at a time).
     */
    CompletionStage<List<MeterState>> peek(String tenantId, List<Meter> meters, Instant now);
}
