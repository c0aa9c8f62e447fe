// Why: the stored form of one audit entry; before and after are JSON text as the admin API showed the target.
package dev.tollgate.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

@MappedEntity("audit_log")
public record AuditRow(
        @Id String id,
        Instant at,
        String actorId,
        String actorName,
        String action,
        String targetType,
        @Nullable String targetId,
        @Nullable String tenantId,
        @Nullable String before,
        @Nullable String after) {
}
