// Why: the answer of an admission: either a reservation (with what is left of each meter, for the
// x-ratelimit-* headers) or the limit that refused and when to retry.
package dev.tollgate.limits;

import java.time.Instant;
import java.util.List;

public sealed interface Admission {

    /** Admitted: the reservation was recorded under the request id; {@code meters} is in the request's order. */
    record Admitted(String requestId, List<MeterState> meters) implements Admission {
    }

    /** Refused: nothing was recorded. */
    record Refused(Meter meter, long used, long retryAfterSeconds) implements Admission {
    }

    /**
     * A meter after the admission (its limit, what is used including this request, and when it resets), or as
     * {@link LimitStore#peek} reads it.
     */
    record MeterState(Meter meter, long used, Instant resetAt) {
        public long remaining() {
            return Math.max(0, meter.limit() - used);
        }

        /** A windowed meter as its counters stand (values in {@link Windows.Window#buckets()} order). */
        static MeterState counted(Meter meter, Windows.Window window, long[] counts) {
            long used = 0;
            for (long c : counts) {
                used = Math.addExact(used, c);
            }
            return new MeterState(meter, used, window.resetAt(counts));
        }
    }
}
