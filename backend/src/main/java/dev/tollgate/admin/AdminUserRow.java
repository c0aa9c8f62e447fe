// Why: stored admin accounts; passwords only as bcrypt hashes.
package dev.tollgate.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

@MappedEntity("admin_users")
public record AdminUserRow(
        @Id String id,
        String username,
        String passwordHash,
        String role,
        @Nullable String tenantId,
        Instant createdAt,
        Instant updatedAt) {
}
