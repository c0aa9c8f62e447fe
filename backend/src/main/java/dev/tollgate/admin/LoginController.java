// Why: admins exchange a username and password for a session: the token for API clients, and for the console the
// session and CSRF cookies. Attempts are throttled per username and per client address before the password is
// checked, so a throttled guess learns nothing.
package dev.tollgate.admin;

import dev.tollgate.openapi.Accepts;
import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.login.LoginGuard;
import dev.tollgate.sessions.AdminSessions;
import dev.tollgate.sessions.SessionCookies;
import dev.tollgate.web.JsonFields;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

@Controller("/admin/api")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class LoginController {
    private final AdminUserRepository users;
    private final AdminSessions sessions;
    private final LoginGuard guard;
    private final AdminJson json;

    public LoginController(AdminUserRepository users, AdminSessions sessions, LoginGuard guard, AdminJson json) {
        this.users = users;
        this.sessions = sessions;
        this.guard = guard;
        this.json = json;
    }

    @Introspected
    public record LoginResponse(String token, @JsonProperty("expires_at") Instant expiresAt) {
    }

    @Operation(operationId = "login", summary = "Exchange a username and password for a session token")
    @Accepts.Login
    @io.swagger.v3.oas.annotations.security.SecurityRequirements
    @Post(uri = "/login", consumes = MediaType.ALL)
    public HttpResponse<LoginResponse> login(HttpRequest<?> request, @Nullable @Body byte[] body) {
        JsonNode node = json.parse(body);
        JsonFields f = new JsonFields(node, Set.of("username", "password"));
        String username = f.text("username", 1, 200);
        String password = f.text("password", 1, 200);
        LoginGuard.Attempt attempt = guard.begin(username, request);
        Optional<AdminUserRow> user = users.findByUsernameIgnoreCase(username);
        boolean ok = Passwords.matches(password, user.map(AdminUserRow::passwordHash).orElse(null));
        if (!ok || user.isEmpty()) {
            throw new Unauthorized("Wrong username or password.");
        }
        guard.succeeded(attempt);
        AdminSessions.Opened session = sessions.open(user.get().id());
        MutableHttpResponse<LoginResponse> response = HttpResponse.ok(new LoginResponse(session.token(), session.expiresAt()));
        SessionCookies.set(request, response, session, sessions.ttl());
        return response;
    }
}
