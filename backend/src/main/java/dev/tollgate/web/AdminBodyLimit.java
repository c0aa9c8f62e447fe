// Why: admin bodies are small JSON objects; anything over TOLLGATE_ADMIN_MAX_BODY_BYTES is refused with 413 in the
// admin shape before it is read (by its Content-Length) or, for a chunked body, when it is parsed (AdminJson).
package dev.tollgate.web;

import dev.tollgate.config.Settings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

@ServerFilter("/**")
@io.micronaut.core.annotation.Order(-1200)
public class AdminBodyLimit {
    private final Listeners listeners;
    private final long max;

    public AdminBodyLimit(Listeners listeners, Settings settings) {
        this.listeners = listeners;
        this.max = settings.adminMaxBodyBytes();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (listeners.onAdmin(request) && request.getContentLength() > max) {
            return tooLarge(max);
        }
        return null;
    }

    /** The 413 of the admin listener. */
    public static HttpResponse<?> tooLarge(long max) {
        return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(ErrorBodies.admin(message(max), null))
                .contentType("application/json");
    }

    public static String message(long max) {
        return "Request body is larger than the limit of " + max + " bytes.";
    }
}
