// Why: the stored form of a tenant; limits and allowed models are JSON text so both are read in one row.
package dev.tollgate.tenants;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

@MappedEntity("tenants")
public record TenantRow(
        @Id String id,
        String name,
        String limits,
        @Nullable String allowedModels,
        boolean disabled,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant deletedAt) {
}
