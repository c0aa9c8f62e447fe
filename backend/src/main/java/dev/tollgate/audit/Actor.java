// Why: an audit entry names who made the change; controllers resolve the logged-in admin and pass it to the
// services explicitly, so no service reads the request or a thread-local.
package dev.tollgate.audit;

import io.micronaut.core.annotation.Introspected;
import java.util.Objects;

/** The admin user behind a change: id and username (as it was at the time). */
@Introspected
public record Actor(String id, String username) {
    public Actor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
    }
}
