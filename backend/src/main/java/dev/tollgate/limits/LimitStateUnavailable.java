// Why: with fail mode "closed", a request whose limits cannot be checked (Redis unreachable or too slow) is
// refused with 503 rather than served unmetered; the proxy turns this into the dialect's error.
package dev.tollgate.limits;

public final class LimitStateUnavailable extends RuntimeException {
    public LimitStateUnavailable(String message) {
        super(message, null, false, false);
    }
}
