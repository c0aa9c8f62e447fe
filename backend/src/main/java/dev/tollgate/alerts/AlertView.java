// Why: the admin API's view of an alert event: amounts in USD, times in ISO 8601, and how its webhook went.
package dev.tollgate.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.usage.Usd;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.time.Instant;

@Introspected
public record AlertView(
        String id,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("key_id") @Nullable String keyId,
        String limit,
        String window,
        @JsonProperty("window_start") Instant windowStart,
        BigDecimal amount,
        BigDecimal used,
        @JsonProperty("alert_at") BigDecimal alertAt,
        @JsonProperty("created_at") Instant createdAt,
        Webhook webhook) {

    /** Delivery of the event to TOLLGATE_ALERT_WEBHOOK_URL: not_configured, pending, delivered or failed. */
    @Introspected
    public record Webhook(String status, int attempts, @JsonProperty("last_error") @Nullable String lastError) {
    }

    static AlertView of(AlertRow row) {
        return new AlertView(row.id(), row.tenantId(), row.keyId(), "budget", row.budgetWindow(), row.windowStart(),
                Usd.ofMicros(row.limitMicros()), Usd.ofMicros(row.usedMicros()), Usd.plain(row.alertAt()),
                row.createdAt(), new Webhook(row.webhookStatus(), row.webhookAttempts(), row.webhookLastError()));
    }
}
