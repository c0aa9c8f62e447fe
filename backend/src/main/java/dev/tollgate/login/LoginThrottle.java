// Why: password guessing is bounded per username and per client address across every replica; the policy is one
// interface with a Redis implementation (shared by the fleet) and an in-process one (embedded mode), both held to
// one contract test.
package dev.tollgate.login;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts login attempts in fixed windows that start at a subject's first counted attempt. Subjects are opaque
 * strings (the guard passes keyed hashes, never a username or address in clear).
 */
public interface LoginThrottle {
    /** Attempts allowed per username and per address within one window. */
    record Limits(int perUsername, int perAddress, Duration window) {
    }

    /** Whether an attempt may go ahead; when not, how long until it may. */
    record Verdict(boolean allowed, Duration retryAfter) {
        static final Verdict ALLOWED = new Verdict(true, Duration.ZERO);

        /** Whole seconds, at least 1, as {@code Retry-After} wants them. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    /** Counts one attempt against both subjects, unless either has used its attempts (then nothing is counted). */
    Verdict attempt(String username, String address, Instant now);

    /** The counted attempt succeeded: the username starts afresh and the attempt no longer counts for the address. */
    void succeeded(String username, String address, Instant now);
}
