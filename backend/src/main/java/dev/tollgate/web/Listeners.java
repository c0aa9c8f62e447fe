// Why: the proxy and the admin API share one process but must never share a port: admin routes are
// unreachable on the proxy listener and proxy routes on the admin listener. Applied by {@link EdgeFilter}.
package dev.tollgate.web;

import dev.tollgate.config.Settings;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import dev.tollgate.storage.Ids;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

@Singleton
public class Listeners {
    public static final String REQUEST_ID = "x-request-id";
    private final int adminPort;

    public Listeners(Settings settings) {
        this.adminPort = settings.adminPort();
    }

    /** True when the request arrived on the admin listener. */
    public boolean onAdmin(HttpRequest<?> request) {
        return request.getServerAddress().getPort() == adminPort;
    }

    public static boolean isProxyPath(String path) {
        return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/v1/") || path.equals("/v1")
                || path.startsWith("/health/");
    }

    /**
     * A 404 for a path of the other listener, else null. On the proxy listener every request first gets its id
     * (the request attribute {@link #REQUEST_ID}), which {@link #tag} gives its answer.
     */
    @Nullable
    MutableHttpResponse<?> route(HttpRequest<?> request, boolean admin) {
        String path = request.getPath();
        if (admin) {
            return isProxyPath(path) ? notFound(true, request) : null;
        }
        request.setAttribute(REQUEST_ID, Ids.request());
        return isProxyPath(path) ? null : notFound(false, request);
    }

    /** The request's id, set by {@link #route}; null on the admin listener. */
    @Nullable
    public static String requestId(HttpRequest<?> request) {
        return request.getAttribute(REQUEST_ID).orElse(null) instanceof String id ? id : null;
    }

    private static MutableHttpResponse<byte[]> notFound(boolean adminListener, HttpRequest<?> request) {
        return HttpResponse.<byte[]>notFound()
                .body(ErrorBodies.forStatus(adminListener, request.getPath(), 404, "Not found: " + request.getMethodName() + " " + request.getPath()))
                .contentType("application/json");
    }

    /** Gives a proxy answer its request's id. */
    static void tag(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = requestId(request);
        if (id != null) {
            response.getHeaders().set(REQUEST_ID, id);
        }
    }
}
