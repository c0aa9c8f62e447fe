// Why: every logged-in user, whatever the role, can see who the session belongs to, end it, and change the
// account's password (which ends the account's other sessions); none of these is a "write" a viewer is refused.
package dev.tollgate.sessions;

import io.swagger.v3.oas.annotations.Operation;
import dev.tollgate.openapi.AdminErrors;
import dev.tollgate.openapi.Accepts;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.access.Principal;
import dev.tollgate.admin.AdminActors;
import dev.tollgate.admin.AdminAuthFilter;
import dev.tollgate.admin.AdminJson;
import dev.tollgate.admin.AdminUserRepository;
import dev.tollgate.admin.AdminUserRow;
import dev.tollgate.admin.Passwords;
import dev.tollgate.login.LoginGuard;
import dev.tollgate.web.FieldError;
import dev.tollgate.web.JsonFields;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Set;

@Controller("/admin/api")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class SessionController {
    private final AdminActors actors;
    private final AdminSessions sessions;
    private final AdminUserRepository users;
    private final LoginGuard guard;
    private final AdminJson json;

    public SessionController(AdminActors actors, AdminSessions sessions, AdminUserRepository users, LoginGuard guard,
            AdminJson json) {
        this.actors = actors;
        this.sessions = sessions;
        this.users = users;
        this.guard = guard;
        this.json = json;
    }

    @Introspected
    public record Me(String id, String username, String role, @JsonProperty("tenant_id") @Nullable String tenantId) {
    }

    /** Ends the session of this request (token or cookie) and drops the console's cookies. */
    @Operation(operationId = "logout", summary = "End this session (token or cookie) and clear the console cookies")
    @Post(uri = "/logout", consumes = MediaType.ALL)
    public HttpResponse<Void> logout(HttpRequest<?> request) {
        sessions.revoke(sessionId(request));
        MutableHttpResponse<Void> response = HttpResponse.noContent();
        SessionCookies.clear(request, response);
        return response;
    }

    @Operation(operationId = "me", summary = "The logged-in account: id, username, role, tenant_id")
    @Get("/me")
    public Me me(HttpRequest<?> request) {
        Principal p = actors.of(request);
        return new Me(p.id(), p.username(), p.role().wire(), p.tenantId());
    }

    /**
     * Changes the password after checking the current one; a wrong current password counts as a failed login of
     * the account (a stolen session cannot guess it faster than the login form).
     */
    @Operation(operationId = "changePassword", summary = "Change this account's password; its other sessions end")
    @Accepts.Password
    @Post(uri = "/me/password", consumes = MediaType.ALL)
    public HttpResponse<Void> changePassword(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Principal p = actors.of(request);
        JsonFields f = new JsonFields(json.parse(body), Set.of("current_password", "new_password"));
        String current = f.text("current_password", 1, Passwords.MAX_LENGTH);
        String next = f.text("new_password", Passwords.MIN_LENGTH, Passwords.MAX_LENGTH);
        LoginGuard.Attempt attempt = guard.begin(p.username(), request);
        String hash = users.findById(p.id()).map(AdminUserRow::passwordHash).orElse(null);
        if (!Passwords.matches(current, hash)) {
            throw new FieldError("current_password", "is not this account's password");
        }
        guard.succeeded(attempt);
        sessions.changePassword(p.id(), Passwords.hash(next), sessionId(request));
        return HttpResponse.noContent();
    }

    private static String sessionId(HttpRequest<?> request) {
        return request.getAttribute(AdminAuthFilter.SESSION_ID, String.class)
                .orElseThrow(() -> new IllegalStateException("the auth filter sets the session of every admin route"));
    }
}
