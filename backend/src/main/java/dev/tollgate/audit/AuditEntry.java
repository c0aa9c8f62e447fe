// Why: the admin API's view of an audit entry: who, what, when, and the target before and after as JSON objects.
package dev.tollgate.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

@Introspected
public record AuditEntry(
        String id,
        Instant at,
        Actor actor,
        String action,
        @JsonProperty("target_type") String targetType,
        @JsonProperty("target_id") @Nullable String targetId,
        @JsonProperty("tenant_id") @Nullable String tenantId,
        @Nullable JsonNode before,
        @Nullable JsonNode after) {
}
