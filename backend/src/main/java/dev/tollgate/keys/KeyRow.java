// Why: the stored form of an API key; only the keyed hash of the secret is kept.
package dev.tollgate.keys;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

@MappedEntity("api_keys")
public record KeyRow(
        @Id String id,
        String tenantId,
        String name,
        String keyHash,
        String prefix,
        String limits,
        @Nullable String allowedModels,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant lastUsedAt,
        boolean logPrompts) {
}
