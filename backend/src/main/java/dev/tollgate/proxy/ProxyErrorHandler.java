// Why: the error mapper of the proxy: a ProxyException becomes the dialect's body, status and Retry-After.
package dev.tollgate.proxy;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Singleton
public class ProxyErrorHandler implements ExceptionHandler<ProxyException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, ProxyException e) {
        return Routed.response(null, ProxyAnswer.error(Dialect.ofPath(request.getPath()), e));
    }
}
