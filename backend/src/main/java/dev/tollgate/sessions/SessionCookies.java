// Why: the console keeps its session in an HttpOnly cookie (scripts cannot read it) and a readable CSRF cookie it
// echoes in X-CSRF-Token; both SameSite=Strict, Secure when the browser reached us over TLS (directly or through
// a proxy that says so), and living exactly as long as the session.
package dev.tollgate.sessions;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import java.time.Duration;

public final class SessionCookies {
    public static final String SESSION = "tollgate_session";
    public static final String CSRF = "tollgate_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookies() {
    }

    /** Sets both cookies of a new session. */
    public static void set(HttpRequest<?> request, MutableHttpResponse<?> response, AdminSessions.Opened session,
            Duration lifetime) {
        boolean secure = cameOverTls(request);
        response.cookie(cookie(SESSION, session.token(), lifetime, secure).httpOnly(true));
        response.cookie(cookie(CSRF, session.csrf(), lifetime, secure).httpOnly(false));
    }

    /** Tells the browser to drop both cookies. */
    public static void clear(HttpRequest<?> request, MutableHttpResponse<?> response) {
        boolean secure = cameOverTls(request);
        response.cookie(cookie(SESSION, "", Duration.ZERO, secure).httpOnly(true));
        response.cookie(cookie(CSRF, "", Duration.ZERO, secure).httpOnly(false));
    }

    /** The session token of the cookie, if any. */
    public static String sessionToken(HttpRequest<?> request) {
        return request.getCookies().findCookie(SESSION).map(Cookie::getValue).filter(v -> !v.isEmpty()).orElse(null);
    }

    /** TLS to this listener, or {@code X-Forwarded-Proto: https} from the proxy in front of it. */
    static boolean cameOverTls(HttpRequest<?> request) {
        if (request.isSecure()) {
            return true;
        }
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        return forwarded != null && forwarded.split(",")[0].trim().equalsIgnoreCase("https");
    }

    private static Cookie cookie(String name, String value, Duration maxAge, boolean secure) {
        return Cookie.of(name, value).path("/").sameSite(SameSite.Strict).secure(secure).maxAge(maxAge);
    }
}
