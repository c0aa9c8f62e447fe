// Why: an upstream's answer as the proxy consumes it: status and content type at once, then the body as a
// stream of chunks in arrival order. Whoever receives it must either subscribe to the body or discard it.
package dev.tollgate.upstream;

import io.micronaut.core.io.buffer.ReadBuffer;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;

public interface UpstreamResponse {
    int status();

    /** The response's Content-Type, or {@code null}. */
    String contentType();

    /** The body's length as the upstream declared it (Content-Length), or -1 when it did not (chunked). */
    long contentLength();

    /**
     * The body, chunk by chunk as it arrives, as the connection's own buffers (no copy); whoever receives a chunk
     * closes it. Cancelling the subscription aborts the upstream request.
     */
    Publisher<ReadBuffer> body();

    /** The whole body, for small answers (listings, errors). */
    CompletableFuture<byte[]> bodyBytes();

    /** Releases the response without reading its body. */
    void discard();
}
