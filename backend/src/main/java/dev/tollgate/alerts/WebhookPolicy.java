// Why: how hard the alert webhook is tried (attempts, back-off, per-attempt timeout) is tuning, not contract;
// it is configurable so tests can retry in milliseconds instead of seconds.
package dev.tollgate.alerts;

import dev.tollgate.config.StartupException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Webhook delivery: up to {@code attempts} POSTs; after a failed attempt {@code n} the next one waits
 * {@code firstRetry × 2^(n-1)} (1 s, 2 s, 4 s, 8 s by default); each attempt gives up after {@code timeout}.
 */
@ConfigurationProperties("tollgate.alerts.webhook")
public record WebhookPolicy(
        @Bindable(defaultValue = "5") int attempts,
        @Bindable(defaultValue = "1s") Duration firstRetry,
        @Bindable(defaultValue = "10s") Duration timeout) {

    public WebhookPolicy {
        if (attempts < 1 || attempts > 20) {
            throw new StartupException("tollgate.alerts.webhook.attempts must be from 1 to 20 (got " + attempts + ")");
        }
        if (firstRetry == null || firstRetry.isNegative() || firstRetry.compareTo(Duration.ofHours(1)) > 0) {
            throw new StartupException("tollgate.alerts.webhook.first-retry must be from 0s to 1h (got " + firstRetry + ")");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new StartupException("tollgate.alerts.webhook.timeout must be more than 0s and at most 5m (got " + timeout + ")");
        }
    }

    /** How long to wait after failed attempt {@code n} (1-based) before the next one. */
    public Duration delayAfter(int n) {
        return firstRetry.multipliedBy(1L << Math.min(n - 1, 30));
    }
}
