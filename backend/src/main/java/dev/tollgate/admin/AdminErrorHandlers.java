// Why: admin API failures answer {"error":{"message","field"}} with 400, 403, 404, 409, or 503 when the limit state is
// unreachable.
package dev.tollgate.admin;

import dev.tollgate.access.Forbidden;
import dev.tollgate.limits.LimitStateUnavailable;
import dev.tollgate.web.BodyTooLarge;
import dev.tollgate.web.Conflict;
import dev.tollgate.web.ErrorBodies;
import dev.tollgate.web.FieldError;
import dev.tollgate.web.NotFound;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Factory
public class AdminErrorHandlers {

    static MutableHttpResponse<byte[]> error(HttpStatus status, String message, String field) {
        return HttpResponse.<byte[]>status(status).body(ErrorBodies.admin(message, field)).contentType("application/json");
    }

    @Singleton
    ExceptionHandler<FieldError, HttpResponse<?>> fieldError() {
        return (HttpRequest request, FieldError e) -> error(HttpStatus.BAD_REQUEST, e.describe(), e.field());
    }

    @Singleton
    ExceptionHandler<NotFound, HttpResponse<?>> notFound() {
        return (HttpRequest request, NotFound e) -> error(HttpStatus.NOT_FOUND, e.getMessage(), null);
    }

    @Singleton
    ExceptionHandler<Conflict, HttpResponse<?>> conflict() {
        return (HttpRequest request, Conflict e) -> error(HttpStatus.CONFLICT, e.getMessage(), e.field());
    }

    @Singleton
    ExceptionHandler<Unauthorized, HttpResponse<?>> unauthorized() {
        return (HttpRequest request, Unauthorized e) -> error(HttpStatus.UNAUTHORIZED, e.getMessage(), null);
    }

    @Singleton
    ExceptionHandler<Forbidden, HttpResponse<?>> forbidden() {
        return (HttpRequest request, Forbidden e) -> error(HttpStatus.FORBIDDEN, e.getMessage(), null);
    }

    @Singleton
    ExceptionHandler<BodyTooLarge, HttpResponse<?>> bodyTooLarge() {
        return (HttpRequest request, BodyTooLarge e) -> error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage(), null);
    }

    @Singleton
    ExceptionHandler<LimitStateUnavailable, HttpResponse<?>> limitStateUnavailable() {
        return (HttpRequest request, LimitStateUnavailable e) -> error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), null)
                .header("Retry-After", "1");
    }
}
