// Why: the admin listener will serve the console; every answer there (errors included, since EdgeFilter wraps
// all other filters) forbids sniffing, framing and referrers, pins scripts to the listener's own origin, keeps API
// answers out of caches, and asks browsers to stay on HTTPS once they reached it over HTTPS. Every answer on both
// listeners gets its Date here too, also those other filters give themselves (Micronaut's own is turned off:
// micronaut.server.date-header, which formatted it anew for each response and skipped filters' answers).
package dev.tollgate.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.time.Clock;

@Singleton
public class SecurityHeaders {
    /** Suits a Vite-built SPA served from this listener: own scripts only, inline styles allowed, no framing. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";
    public static final String HSTS = "max-age=31536000; includeSubDomains";
    private final HttpDate date;

    public SecurityHeaders(Clock clock) {
        this.date = new HttpDate(clock);
    }

    /** Every answer's Date; on the admin listener the security headers too. */
    void add(HttpRequest<?> request, MutableHttpResponse<?> response, boolean admin) {
        MutableHttpHeaders h = response.getHeaders();
        h.set(HttpHeaders.DATE, date.now());
        if (!admin) {
            return;
        }
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", CSP);
        if (request.getPath().startsWith("/admin/api/")) {
            h.set("Cache-Control", "no-store");
        }
        if (overTls(request)) {
            h.set("Strict-Transport-Security", HSTS);
        }
    }

    /** TLS here, or at a proxy in front that says so. */
    static boolean overTls(HttpRequest<?> request) {
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        return request.isSecure() || forwarded != null && forwarded.trim().equalsIgnoreCase("https");
    }
}
