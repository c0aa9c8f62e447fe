// Why: the auth filter reads the logged-in user together with the session and leaves it on the request as a
// Principal (id, username, role, tenant); routes take it from there (no second lookup) and hand it to the
// services, which decide what the user may read or change.
package dev.tollgate.admin;

import dev.tollgate.access.Principal;
import dev.tollgate.access.Role;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

@Singleton
public class AdminActors {

    /** The logged-in admin of an authenticated request (the filter answered 401 for any other). */
    public Principal of(HttpRequest<?> request) {
        return request.getAttribute(AdminAuthFilter.PRINCIPAL, Principal.class)
                .orElseThrow(() -> new Unauthorized("Log in first: POST /admin/api/login."));
    }

    static Principal principal(AdminUserRow user) {
        return new Principal(user.id(), user.username(),
                Role.parse(user.role()).orElseThrow(() -> new IllegalStateException("unknown role " + user.role())),
                user.tenantId());
    }
}
