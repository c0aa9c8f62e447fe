// Why: the Micronaut side of the pipeline's seam. Calls that come through Micronaut's router (listings, model
// details, and any model call the lane leaves to the router) are read as a ClientRequest, and their ProxyAnswer is
// written as Micronaut's response; a streamed answer as the server's native streaming body of the request's own
// connection, so each chunk goes from the upstream connection to the client's write without reactive adapters.
package dev.tollgate.proxy;

import io.micronaut.buffer.netty.NettyByteBufferFactory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.body.ByteBodyFactory;
import io.micronaut.http.netty.body.NettyByteBodyFactory;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import dev.tollgate.web.Listeners;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

final class Routed {
    private static final ByteBodyFactory FALLBACK_BODIES =
            ByteBodyFactory.createDefault(NettyByteBufferFactory.DEFAULT);

    private Routed() {
    }

    /** The pipeline's view of a routed request. */
    static ClientRequest request(HttpRequest<?> request) {
        Channel connection = request instanceof NettyHttpRequest<?> netty
                ? netty.getChannelHandlerContext().channel() : null;
        return new ClientRequest() {
            @Override
            public String path() {
                return request.getPath();
            }

            @Override
            @Nullable
            public String header(String name) {
                return request.getHeaders().get(name);
            }

            @Override
            @Nullable
            public String requestId() {
                return Listeners.requestId(request);
            }

            @Override
            @Nullable
            public Channel connection() {
                return connection;
            }
        };
    }

    /** Micronaut's response for the pipeline's answer to {@code request}, which {@code step} gives. */
    static CompletableFuture<MutableHttpResponse<?>> serve(HttpRequest<?> request,
            Function<ClientRequest, CompletableFuture<ProxyAnswer>> step) {
        return step.apply(request(request)).thenApply(a -> response(request, a));
    }

    static MutableHttpResponse<?> response(@Nullable HttpRequest<?> request, ProxyAnswer answer) {
        // by code, not HttpStatus: 499 (a client that left, answered to a closed connection) has no constant
        MutableHttpResponse<Object> response = HttpResponse.ok().status(answer.status());
        if (answer.whole() != null) {
            response.body(answer.whole());
        } else {
            // a ByteBody is written as raw bytes whatever the content type, chunk by chunk as they arrive
            response.body(bodiesFor(request).adapt(answer.stream()));
        }
        if (answer.contentType() != null) {
            response.contentType(answer.contentType());
        }
        answer.headers().forEach(response::header);
        return response;
    }

    private static ByteBodyFactory bodiesFor(@Nullable HttpRequest<?> request) {
        return request instanceof NettyHttpRequest<?> netty
                ? new NettyByteBodyFactory(netty.getChannelHandlerContext().channel()) : FALLBACK_BODIES;
    }
}
