// Why: admin bodies are small JSON objects; anything over TOLLGATE_ADMIN_MAX_BODY_BYTES is refused with 413 in the
// admin shape before it is read (by its Content-Length) or, for a chunked body, when it is parsed (AdminJson).
// Applied by {@link EdgeFilter}.
package dev.tollgate.web;

import dev.tollgate.config.Settings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

@Singleton
public class AdminBodyLimit {
    private final long max;

    public AdminBodyLimit(Settings settings) {
        this.max = settings.adminMaxBodyBytes();
    }

    /** For a request to the admin listener: a 413 when its declared length is over the limit, else null. */
    @Nullable
    MutableHttpResponse<?> check(HttpRequest<?> request) {
        if (request.getContentLength() > max) {
            return tooLarge(max);
        }
        return null;
    }

    /** The 413 of the admin listener. */
    private static MutableHttpResponse<?> tooLarge(long max) {
        return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(ErrorBodies.admin(message(max), null))
                .contentType("application/json");
    }

    public static String message(long max) {
        return "Request body is larger than the limit of " + max + " bytes.";
    }
}
