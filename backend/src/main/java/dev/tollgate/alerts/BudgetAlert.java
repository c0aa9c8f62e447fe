// Why: what the limit engine knows when an admission leaves a budget at or above its alert_at share; the alert
// module records it once per window and tells the webhook.
package dev.tollgate.alerts;

import dev.tollgate.limits.WindowKind;
import dev.tollgate.limits.Windows;
import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A budget whose used amount reached {@code alertAt × limit}.
 *
 * @param tenantId the tenant that owns the budget (or the key's tenant)
 * @param keyId the key whose budget it is; {@code null} for the tenant's own budget
 * @param window the budget's window as the contract names it ({@code daily}, {@code 5h}, {@code total}, ...)
 * @param windowStart identifies the window: one event is recorded per (tenant, key or tenant, window, windowStart);
 *        see {@link #windowStart(String, Instant, ZoneId)}
 * @param limitMicros the budget's amount in micro-dollars
 * @param usedMicros reserved plus settled usage in the window after the admission, in micro-dollars
 * @param alertAt the budget's {@code alert_at} share (0 < alertAt ≤ 1)
 * @param at when the threshold was seen crossed
 */
public record BudgetAlert(
        String tenantId,
        @Nullable String keyId,
        String window,
        Instant windowStart,
        long limitMicros,
        long usedMicros,
        BigDecimal alertAt,
        Instant at) {

    public BudgetAlert {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(alertAt, "alertAt");
        Objects.requireNonNull(at, "at");
    }

    /**
     * The {@code windowStart} that gives a budget at most one alert per window: calendar windows ({@code daily},
     * {@code weekly}, {@code monthly}) start where {@link Windows#current} says, in {@code zone} (the configured
     * {@code TOLLGATE_TIMEZONE}); {@code total} starts at the epoch, so a total budget alerts once. A sliding window
     * ({@code 5h}, {@code 24h}, {@code 7d}, {@code 30d}) has no fixed start (it moves with every bucket), so its
     * alerts are grouped by consecutive epoch-aligned periods of its length: at most one alert per 5 hours for a
     * {@code 5h} budget, per week for {@code 7d}, and so on.
     *
     * @throws IllegalArgumentException for a window name the contract does not know
     */
    public static Instant windowStart(String window, Instant now, ZoneId zone) {
        WindowKind kind = WindowKind.parse(window);
        if (kind.isSliding()) {
            long length = kind.lengthSeconds();
            return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), length) * length);
        }
        return Windows.current(kind, now, zone).start();
    }
}
