// Why: the rules of an admin account's fields (username, password, role, tenant) in one place, so create and
// PATCH refuse the same mistakes with a 400 naming the field.
package dev.tollgate.users;

import dev.tollgate.admin.Passwords;
import dev.tollgate.access.Role;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.web.FieldError;
import dev.tollgate.web.JsonFields;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

final class UserFields {
    static final Set<String> NAMES = Set.of("username", "password", "role", "tenant_id");

    private UserFields() {
    }

    static String username(JsonFields f) {
        return f.text("username", 1, 200);
    }

    static String password(JsonFields f) {
        // Passwords reduces a password over bcrypt's 72 bytes first, so all 200 characters count
        return f.text("password", Passwords.MIN_LENGTH, Passwords.MAX_LENGTH);
    }

    static Role role(JsonFields f) {
        String wire = f.text("role", 1, 50);
        return Role.parse(wire).orElseThrow(() -> new FieldError("role", "must be one of "
                + Arrays.stream(Role.values()).map(Role::wire).collect(Collectors.joining(", "))));
    }

    /** The tenant_id member as given: a string, or null when absent or null. */
    static String tenantId(JsonFields f) {
        return f.raw("tenant_id") == null || f.raw("tenant_id").isNull() ? null : f.text("tenant_id", 1, 200);
    }

    /** A tenant_admin names a live tenant; the other roles name none. */
    static String checkTenant(Role role, String tenantId, TenantRepository tenants) {
        if (role != Role.TENANT_ADMIN) {
            if (tenantId != null) {
                throw new FieldError("tenant_id", "must be null unless role is tenant_admin");
            }
            return null;
        }
        if (tenantId == null) {
            throw new FieldError("tenant_id", "is required for role tenant_admin");
        }
        if (tenants.findByIdAndDeletedAtIsNull(tenantId).isEmpty()) {
            throw new FieldError("tenant_id", "must name an existing tenant");
        }
        return tenantId;
    }
}
