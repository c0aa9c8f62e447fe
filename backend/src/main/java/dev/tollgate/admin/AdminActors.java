// Why: the auth filter leaves only the user id on the request; routes turn it into a Principal (id, current
// username, role, tenant) to hand to the services, which decide what the user may read or change.
package dev.tollgate.admin;

import dev.tollgate.access.Principal;
import dev.tollgate.access.Role;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

@Singleton
public class AdminActors {
    private final AdminUserRepository users;

    public AdminActors(AdminUserRepository users) {
        this.users = users;
    }

    /** The logged-in admin of an authenticated request; a session whose user is gone answers 401. */
    public Principal of(HttpRequest<?> request) {
        return request.getAttribute(AdminAuthFilter.USER_ID, String.class)
                .flatMap(users::findById)
                .map(user -> new Principal(user.id(), user.username(),
                        Role.parse(user.role()).orElseThrow(() -> new IllegalStateException("unknown role " + user.role())),
                        user.tenantId()))
                .orElseThrow(() -> new Unauthorized("This session's user no longer exists; log in again."));
    }
}
