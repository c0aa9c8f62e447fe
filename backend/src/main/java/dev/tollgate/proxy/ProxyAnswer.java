// Why: the pipeline's answer to a call, independent of the server path that writes it (Micronaut's response or the
// lane's own Netty writes): a status, a content type, extra headers, and either a whole body or a stream of chunks.
package dev.tollgate.proxy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.buffer.ReadBuffer;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Exactly one of {@code whole} and {@code stream} is set. */
public record ProxyAnswer(int status, @Nullable String contentType, Map<String, String> headers,
                          @Nullable byte[] whole, @Nullable Publisher<ReadBuffer> stream) {

    public static ProxyAnswer whole(int status, @Nullable String contentType, Map<String, String> headers,
                                    byte[] body) {
        return new ProxyAnswer(status, contentType, headers, body, null);
    }

    public static ProxyAnswer streamed(int status, @Nullable String contentType,
                                       Map<String, String> headers, Publisher<ReadBuffer> body) {
        return new ProxyAnswer(status, contentType, headers, null, body);
    }

    /** A refusal or failure in the dialect's error shape, with its Retry-After. */
    public static ProxyAnswer error(Dialect dialect, ProxyException e) {
        Map<String, String> headers = e.retryAfterSeconds() == null ? Map.of()
                : Map.of("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
        return whole(e.status(), "application/json", headers, dialect.errorBody(e.type(), e.code(), e.getMessage()));
    }
}
