// Why: the error mapper of the proxy: a ProxyException becomes the dialect's body, status and Retry-After.
package dev.tollgate.proxy;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Singleton
public class ProxyErrorHandler implements ExceptionHandler<ProxyException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, ProxyException e) {
        return render(Dialect.ofPath(request.getPath()), e);
    }

    public static MutableHttpResponse<byte[]> render(Dialect dialect, ProxyException e) {
        // by code, not HttpStatus: 499 (a client that left, answered to a closed connection) has no constant
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>ok().status(e.status())
                .body(dialect.errorBody(e.type(), e.code(), e.getMessage()))
                .contentType("application/json");
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
        }
        return response;
    }
}
