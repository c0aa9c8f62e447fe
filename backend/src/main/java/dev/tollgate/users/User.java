// Why: the admin API's view of an admin account: {id, username, role, tenant_id}; the password hash never leaves
// the database, not even into the audit trail.
package dev.tollgate.users;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.admin.AdminUserRow;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

@Introspected
@JsonInclude(JsonInclude.Include.ALWAYS)
public record User(
        String id,
        String username,
        String role,
        @JsonProperty("tenant_id") @Nullable String tenantId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    static User of(AdminUserRow row) {
        return new User(row.id(), row.username(), row.role(), row.tenantId(), row.createdAt(), row.updatedAt());
    }
}
