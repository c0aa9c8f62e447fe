// Why: errors raised by the framework itself (404, 405, 413, unreadable bodies, unexpected failures) must
// have the contract's shape and must never carry a stack trace, SQL or an exception message of a 5xx.
package dev.tollgate.web;

import io.micronaut.context.annotation.Primary;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

@Primary
@Singleton
public class ErrorResponses implements ErrorResponseProcessor<byte[]> {
    private final Listeners listeners;
    private final long maxBodyBytes;
    private final long adminMaxBodyBytes;

    public ErrorResponses(Listeners listeners, dev.tollgate.config.Settings settings) {
        this.listeners = listeners;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.adminMaxBodyBytes = settings.adminMaxBodyBytes();
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        int status = response.code();
        String message = message(context, status);
        boolean admin = listeners.onAdmin(request);
        byte[] body = admin && context.getRootCause().orElse(null) instanceof ConversionErrorException c
                ? ErrorBodies.admin(c.getArgument().getName() + " has the wrong type", c.getArgument().getName())
                : ErrorBodies.forStatus(admin, request.getPath(), status, message);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<byte[]> out = (MutableHttpResponse<byte[]>) response;
        return out.body(body).contentType("application/json");
    }

    private String message(ErrorContext context, int status) {
        return switch (status) {
            case 404 -> "Not found: " + context.getRequest().getMethodName() + " " + context.getRequest().getPath();
            case 405 -> "Method " + context.getRequest().getMethodName() + " is not allowed on " + context.getRequest().getPath();
            case 413 -> AdminBodyLimit.message(listeners.onAdmin(context.getRequest()) ? adminMaxBodyBytes : maxBodyBytes);
            case 415 -> "Unsupported content type.";
            default -> status >= 500 ? ErrorBodies.INTERNAL_ERROR
                    : context.getErrors().stream().map(Error::getMessage).findFirst().orElse("Bad request.");
        };
    }
}
