// Why: clients written for OpenAI read x-ratelimit-* headers to pace themselves; they describe the tightest
// request limit and the tightest token limit of the admission, with resets formatted as OpenAI does.
package dev.tollgate.limits;

import dev.tollgate.limits.Admission.MeterState;
import dev.tollgate.limits.Meter.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    /** The six x-ratelimit-* headers (only the kinds that have a meter), in a stable order. */
    public static Map<String, String> of(List<MeterState> states, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        put(headers, "requests", tightest(states, Quantity.REQUESTS), now);
        put(headers, "tokens", tightest(states, Quantity.TOKENS), now);
        return headers;
    }

    private static MeterState tightest(List<MeterState> states, Quantity quantity) {
        MeterState best = null;
        for (MeterState s : states) {
            if (s.meter().quantity() == quantity && (best == null || s.remaining() < best.remaining())) {
                best = s;
            }
        }
        return best;
    }

    private static void put(Map<String, String> headers, String kind, MeterState s, Instant now) {
        if (s == null) {
            return;
        }
        headers.put("x-ratelimit-limit-" + kind, Long.toString(s.meter().limit()));
        headers.put("x-ratelimit-remaining-" + kind, Long.toString(s.remaining()));
        headers.put("x-ratelimit-reset-" + kind, s.resetAt() == null ? "0s" : format(Duration.between(now, s.resetAt())));
    }

    /** OpenAI's duration format: {@code 850ms}, {@code 1s}, {@code 6m0s}, {@code 1h2m3s}. */
    public static String format(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long totalSeconds = (ms + 999) / 1000;
        long h = totalSeconds / 3600;
        long m = (totalSeconds % 3600) / 60;
        long s = totalSeconds % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        if (m > 0) {
            return m + "m" + s + "s";
        }
        return s + "s";
    }
}
