// Why: the console may be served from another origin (a dev server, a separate host); only the exact origins of
// ALLOWED_ORIGINS may call the admin API from a browser, with its cookie. The proxy listener never answers CORS.
package dev.tollgate.web;

import dev.tollgate.config.Settings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;

@Singleton
public class AdminCors {
    public static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
    public static final String HEADERS = "Authorization, Content-Type, X-CSRF-Token";
    private final List<String> origins;

    public AdminCors(Settings settings) {
        this.origins = settings.allowedOrigins();
    }

    /**
     * For a request to the admin listener: the answer to a preflight (it carries no session, so it is answered here),
     * else null. Like every admin answer it then passes {@link #allow}, which lets a listed origin read it; a refused
     * origin gets a 403 without CORS headers.
     */
    @Nullable
    MutableHttpResponse<?> preflight(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.OPTIONS
                || request.getHeaders().get("Access-Control-Request-Method") == null) {
            return null;
        }
        String origin = allowed(request);
        if (origin == null) {
            return HttpResponse.status(HttpStatus.FORBIDDEN)
                    .body(ErrorBodies.admin("Origin not allowed; list it in ALLOWED_ORIGINS.", null))
                    .contentType("application/json");
        }
        return HttpResponse.noContent()
                .header("Access-Control-Allow-Methods", METHODS)
                .header("Access-Control-Allow-Headers", HEADERS)
                .header("Access-Control-Max-Age", "600");
    }

    /** For every answer of the admin listener, a preflight's included: lets a listed origin read it. */
    void allow(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (request.getHeaders().get("Origin") == null) {
            return;
        }
        response.getHeaders().add("Vary", "Origin");
        String origin = allowed(request);
        if (origin != null) {
            response.getHeaders().set("Access-Control-Allow-Origin", origin);
            response.getHeaders().set("Access-Control-Allow-Credentials", "true");
        }
    }

    /** The request's Origin when it is listed exactly, else null. */
    @Nullable
    private String allowed(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        if (origin == null) {
            return null;
        }
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return origins.contains(lower) ? lower : null;
    }
}
