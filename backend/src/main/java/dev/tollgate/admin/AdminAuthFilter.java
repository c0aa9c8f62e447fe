// Why: every admin API route except login (and the OpenAPI document) needs a live session; checking it in one
// filter means no route can forget to. API clients send the bearer token; the console sends the session cookie,
// and then every state-changing request must also carry the session's CSRF value (a cross-site form cannot).
// The session lookup is a database call, so the filter runs on the blocking pool, never on the event loop.
package dev.tollgate.admin;

import dev.tollgate.sessions.AdminSessions;
import dev.tollgate.sessions.SessionCookies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Optional;
import java.util.Set;

@ServerFilter("/admin/api/**")
@io.micronaut.core.annotation.Order(-500)
public class AdminAuthFilter {
    /** The request attribute holding the logged-in user as a Principal (read once, with the session). */
    public static final String PRINCIPAL = "tollgate.admin.principal";
    public static final String SESSION_ID = "tollgate.admin.session";
    private static final Set<String> OPEN = Set.of("/admin/api/login", "/admin/api/openapi.yml");
    private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private final AdminSessions sessions;

    public AdminAuthFilter(AdminSessions sessions) {
        this.sessions = sessions;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (OPEN.contains(request.getPath())) {
            return null;
        }
        String auth = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        boolean fromCookie = bearer == null;
        Optional<AdminSessions.Session> session = sessions.verify(fromCookie ? SessionCookies.sessionToken(request) : bearer);
        if (session.isEmpty()) {
            return AdminErrorHandlers.error(HttpStatus.UNAUTHORIZED,
                    "Log in first: POST /admin/api/login, then send 'Authorization: Bearer <token>'.", null);
        }
        if (fromCookie && CHANGES.contains(request.getMethod())
                && !sessions.csrfMatches(session.get().id(), request.getHeaders().get(SessionCookies.CSRF_HEADER))) {
            return AdminErrorHandlers.error(HttpStatus.FORBIDDEN,
                    "A change made with the session cookie needs the header " + SessionCookies.CSRF_HEADER
                            + " set to the value of the " + SessionCookies.CSRF + " cookie.", null);
        }
        request.setAttribute(PRINCIPAL, AdminActors.principal(session.get().user()));
        request.setAttribute(SESSION_ID, session.get().id());
        return null;
    }
}
