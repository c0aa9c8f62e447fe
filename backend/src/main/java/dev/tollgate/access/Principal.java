// Why: every admin route acts for one logged-in user; the user's role and tenant decide what the route may
// read or change, so services take this (not the HTTP request) and apply the same rules whoever calls them.
package dev.tollgate.access;

import dev.tollgate.audit.Actor;
import dev.tollgate.web.NotFound;
import io.micronaut.core.annotation.Nullable;
import java.util.Objects;

/** A logged-in admin user: id, username, role and, for a {@code tenant_admin}, the one tenant it manages. */
public record Principal(String id, String username, Role role, @Nullable String tenantId) {
    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        if (role == Role.TENANT_ADMIN && tenantId == null) {
            throw new IllegalArgumentException("a tenant_admin has a tenant");
        }
    }

    /** The name an audit entry records for this user's changes. */
    public Actor actor() {
        return new Actor(id, username);
    }

    /** The one tenant a {@code tenant_admin} is confined to; {@code null} for a user who sees every tenant. */
    @Nullable
    public String confinedTo() {
        return role == Role.TENANT_ADMIN ? tenantId : null;
    }

    /** Whether this user may see anything of the tenant (an admin or viewer sees every tenant). */
    public boolean sees(String tenant) {
        return role != Role.TENANT_ADMIN || tenantId.equals(tenant);
    }

    /**
     * Refuses, as "not found", anything of a tenant this user may not see: an id the caller may not see
     * answers 404 (contract), exactly like an id that does not exist.
     */
    public void requireSees(String tenant, String what) {
        if (tenant == null || !sees(tenant)) {
            throw new NotFound(what);
        }
    }

    /** Refuses changes by a read-only user. */
    public void requireWrite() {
        if (role == Role.VIEWER) {
            throw new Forbidden("This account is read-only (role viewer).");
        }
    }

    /** Refuses what only an {@code admin} may do. */
    public void requireAdmin() {
        if (role != Role.ADMIN) {
            throw new Forbidden("Only an admin may do this (this account's role is " + role.wire() + ").");
        }
    }
}
