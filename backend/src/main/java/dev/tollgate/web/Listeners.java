// Why: the proxy and the admin API share one process but must never share a port: admin routes are
// unreachable on the proxy listener and proxy routes on the admin listener.
package dev.tollgate.web;

import dev.tollgate.config.Settings;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import dev.tollgate.storage.Ids;
import io.micronaut.core.annotation.Nullable;

@ServerFilter("/**")
@io.micronaut.core.annotation.Order(-1000)
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

    @RequestFilter
    @Nullable
    public HttpResponse<?> route(HttpRequest<?> request) {
        String path = request.getPath();
        boolean admin = onAdmin(request);
        if (admin) {
            return isProxyPath(path) ? notFound(true, request) : null;
        }
        String id = Ids.request();
        request.setAttribute(REQUEST_ID, id);
        return isProxyPath(path) ? null : notFound(false, request).header(REQUEST_ID, id);
    }

    private static MutableHttpResponse<byte[]> notFound(boolean adminListener, HttpRequest<?> request) {
        return HttpResponse.<byte[]>notFound()
                .body(ErrorBodies.forStatus(adminListener, request.getPath(), 404, "Not found: " + request.getMethodName() + " " + request.getPath()))
                .contentType("application/json");
    }

    @ResponseFilter
    public void tag(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(REQUEST_ID, String.class).ifPresent(id -> response.header(REQUEST_ID, id));
    }
}
