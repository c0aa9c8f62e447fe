// Why: the admin API's view of a key: prefix, limits, models, status; never the hash. The plaintext
// appears only in the answer to create and rotate. Status: active, rotating (rotated out; works until revoked_at,
// the end of its grace), revoked or expired.
package dev.tollgate.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.limits.Limits;
import dev.tollgate.storage.JsonColumns;
import io.micronaut.core.annotation.Introspected;
import java.time.Instant;
import java.util.List;

@Introspected
public record ApiKey(
        String id,
        @JsonProperty("tenant_id") String tenantId,
        String name,
        String prefix,
        Limits limits,
        @JsonProperty("allowed_models") List<String> allowedModels,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("revoked_at") Instant revokedAt,
        String status,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("last_used_at") Instant lastUsedAt,
        @JsonProperty("log_prompts") boolean logPrompts,
        @JsonInclude(JsonInclude.Include.NON_NULL) String key) {

    static ApiKey of(KeyRow row, Instant now, String plaintext) {
        String status = row.revokedAt() != null && !row.revokedAt().isAfter(now) ? "revoked"
                : row.expiresAt() != null && !row.expiresAt().isAfter(now) ? "expired"
                : row.revokedAt() != null ? "rotating" : "active";
        return new ApiKey(row.id(), row.tenantId(), row.name(), row.prefix(), JsonColumns.limits(row.limits()),
                JsonColumns.models(row.allowedModels()), row.expiresAt(), row.revokedAt(), status, row.createdAt(),
                row.lastUsedAt(), row.logPrompts(), plaintext);
    }
}
