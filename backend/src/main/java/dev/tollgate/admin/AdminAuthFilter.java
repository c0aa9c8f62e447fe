// Why: every admin API route except login (and the OpenAPI document) needs a valid session token; checking
// it in one filter means no route can forget to.
package dev.tollgate.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;
import java.util.Set;

@ServerFilter("/admin/api/**")
@io.micronaut.core.annotation.Order(-500)
public class AdminAuthFilter {
    public static final String USER_ID = "tollgate.admin.user";
    private static final Set<String> OPEN = Set.of("/admin/api/login", "/admin/api/openapi.yml");
    private final SessionTokens tokens;

    public AdminAuthFilter(SessionTokens tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (OPEN.contains(request.getPath())) {
            return null;
        }
        String auth = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        Optional<String> userId = tokens.verify(token);
        if (userId.isEmpty()) {
            return AdminErrorHandlers.error(HttpStatus.UNAUTHORIZED,
                    "Log in first: POST /admin/api/login, then send 'Authorization: Bearer <token>'.", null);
        }
        request.setAttribute(USER_ID, userId.get());
        return null;
    }
}
