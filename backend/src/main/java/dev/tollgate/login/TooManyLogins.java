// Why: a throttled login answers 429 with Retry-After in the admin error shape, before any password is checked.
package dev.tollgate.login;

import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import dev.tollgate.web.ErrorBodies;
import jakarta.inject.Singleton;

public final class TooManyLogins extends RuntimeException {
    private final long retryAfterSeconds;

    public TooManyLogins(long retryAfterSeconds) {
        super("Too many failed logins for this username or address; try again in " + retryAfterSeconds + " s.", null,
                false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Factory
    static class Handler {
        @Singleton
        ExceptionHandler<TooManyLogins, HttpResponse<?>> tooManyLogins() {
            return (HttpRequest request, TooManyLogins e) -> HttpResponse.<byte[]>status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(ErrorBodies.admin(e.getMessage(), null)).contentType("application/json")
                    .header("Retry-After", Long.toString(e.retryAfterSeconds));
        }
    }
}
