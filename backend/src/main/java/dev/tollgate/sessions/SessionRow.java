// Why: a stored admin session; a token is good only while its row exists, is unrevoked and unexpired.
package dev.tollgate.sessions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

@MappedEntity("admin_sessions")
public record SessionRow(
        @Id String id,
        String userId,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant revokedAt) {
}
