// Why: the admin API's view of a tenant (contract: {id, name, limits, allowed_models, disabled}).
package dev.tollgate.tenants;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.limits.Limits;
import dev.tollgate.storage.JsonColumns;
import io.micronaut.core.annotation.Introspected;
import java.time.Instant;
import java.util.List;

@Introspected
public record Tenant(
        String id,
        String name,
        Limits limits,
        @JsonProperty("allowed_models") List<String> allowedModels,
        boolean disabled,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    static Tenant of(TenantRow row) {
        return new Tenant(row.id(), row.name(), JsonColumns.limits(row.limits()), JsonColumns.models(row.allowedModels()),
                row.disabled(), row.createdAt(), row.updatedAt());
    }
}
