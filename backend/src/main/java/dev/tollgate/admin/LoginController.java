// Why: admins exchange a username and password for a session token.
package dev.tollgate.admin;

import dev.tollgate.openapi.Accepts;
import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.web.JsonFields;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
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
    private final SessionTokens tokens;
    private final AdminJson json;

    public LoginController(AdminUserRepository users, SessionTokens tokens, AdminJson json) {
        this.users = users;
        this.tokens = tokens;
        this.json = json;
    }

    @Introspected
    public record LoginResponse(String token, @JsonProperty("expires_at") Instant expiresAt) {
    }

    @Operation(operationId = "login", summary = "Exchange a username and password for a session token")
    @Accepts.Login
    @io.swagger.v3.oas.annotations.security.SecurityRequirements
    @Post(uri = "/login", consumes = MediaType.ALL)
    public LoginResponse login(@Nullable @Body byte[] body) {
        JsonNode node = json.parse(body);
        JsonFields f = new JsonFields(node, Set.of("username", "password"));
        String username = f.text("username", 1, 200);
        String password = f.text("password", 1, 200);
        Optional<AdminUserRow> user = users.findByUsernameIgnoreCase(username);
        boolean ok = Passwords.matches(password, user.map(AdminUserRow::passwordHash).orElse(null));
        if (!ok || user.isEmpty()) {
            throw new Unauthorized("Wrong username or password.");
        }
        SessionTokens.Issued issued = tokens.issue(user.get().id());
        return new LoginResponse(issued.token(), issued.expiresAt());
    }
}
