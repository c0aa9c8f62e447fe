// Why: the production UpstreamClient. It uses Micronaut's raw HTTP client (Netty, pooled keep-alive
// connections on the server's event loops) and hands the body on as it arrives, without buffering it.
package dev.tollgate.upstream;

import io.micronaut.buffer.netty.NettyByteBufferFactory;
import io.micronaut.http.ByteBodyHttpResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.body.ByteBodyFactory;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.client.HttpVersionSelection;
import io.micronaut.http.client.RawHttpClient;
import io.micronaut.http.client.RawHttpClientRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

@Singleton
public class NettyUpstreamClient implements UpstreamClient {
    private final RawHttpClient client;
    private final ByteBodyFactory bodies = ByteBodyFactory.createDefault(NettyByteBufferFactory.DEFAULT);

    public NettyUpstreamClient(RawHttpClientRegistry registry) {
        this.client = registry.getRawClient(HttpVersionSelection.forLegacyVersion(HttpVersion.HTTP_1_1), "upstream", null);
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(Upstream upstream, UpstreamRequest request) {
        MutableHttpRequest<Object> http = HttpRequest.create(io.micronaut.http.HttpMethod.parse(request.method()),
                upstream.url(request.path()));
        http.header(HttpHeaders.ACCEPT, request.accept());
        if (upstream.apiKey() != null) {
            http.header(HttpHeaders.AUTHORIZATION, "Bearer " + upstream.apiKey());
        }
        CloseableByteBody body;
        if (request.body() != null) {
            http.header(HttpHeaders.CONTENT_TYPE, "application/json");
            body = bodies.adapt(request.body());
        } else {
            body = bodies.createEmpty();
        }
        return Mono.from(client.exchange(http, body, null))
                .<UpstreamResponse>map(r -> new Response((ByteBodyHttpResponse<?>) r))
                .toFuture();
    }

    @PreDestroy
    void close() throws IOException {
        client.close();
    }

    private static final class Response implements UpstreamResponse {
        private final ByteBodyHttpResponse<?> response;

        Response(ByteBodyHttpResponse<?> response) {
            this.response = response;
        }

        @Override
        public int status() {
            return response.code();
        }

        @Override
        public String contentType() {
            return response.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        }

        @Override
        public Publisher<byte[]> body() {
            return response.byteBody().toByteArrayPublisher();
        }

        @Override
        public CompletableFuture<byte[]> bodyBytes() {
            return response.byteBody().buffer().thenApply(b -> {
                try (b) {
                    return b.toByteArray();
                }
            });
        }

        @Override
        public void discard() {
            response.close();
        }
    }
}
