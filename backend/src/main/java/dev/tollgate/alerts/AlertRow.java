// Why: the stored form of a budget alert event and of its webhook delivery.
package dev.tollgate.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;

@MappedEntity("alert_events")
public record AlertRow(
        @Id String id,
        String tenantId,
        @Nullable String keyId,
        String budgetWindow,
        Instant windowStart,
        long limitMicros,
        long usedMicros,
        BigDecimal alertAt,
        Instant createdAt,
        String webhookStatus,
        int webhookAttempts,
        @Nullable String webhookLastError) {
}
