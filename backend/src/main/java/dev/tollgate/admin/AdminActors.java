// Why: audit entries name the admin behind each change; the auth filter leaves only the user id on the request,
// so mutating routes turn it into an Actor (id and current username) to hand to the services.
package dev.tollgate.admin;

import dev.tollgate.audit.Actor;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

@Singleton
public class AdminActors {
    private final AdminUserRepository users;

    public AdminActors(AdminUserRepository users) {
        this.users = users;
    }

    /** The logged-in admin of an authenticated request; a session whose user is gone answers 401. */
    public Actor of(HttpRequest<?> request) {
        return request.getAttribute(AdminAuthFilter.USER_ID, String.class)
                .flatMap(users::findById)
                .map(user -> new Actor(user.id(), user.username()))
                .orElseThrow(() -> new Unauthorized("This session's user no longer exists; log in again."));
    }
}
