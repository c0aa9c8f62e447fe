// Why: some upstream answers are read whole: listings and error bodies, and a non-streaming model answer, which is
// then written to the client as one response with its length (one write instead of a chunked stream). A cap keeps
// a misbehaving upstream from exhausting memory.
package dev.tollgate.upstream;

import io.micronaut.core.io.buffer.ReadBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

public final class BodyCollector {
    private BodyCollector() {
    }

    /**
     * Reads {@code body} whole. The future fails if the body fails or exceeds {@code limit} bytes; completing it
     * (exceptionally) before the body has ended cancels the body, which aborts the upstream request.
     */
    public static CompletableFuture<byte[]> collect(Publisher<ReadBuffer> body, int limit) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        BaseSubscriber<ReadBuffer> reader = new BaseSubscriber<>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            protected void hookOnNext(ReadBuffer chunk) {
                try (chunk) {
                    if (result.isDone()) {
                        return;
                    }
                    if (out.size() + chunk.readable() > limit) {
                        cancel();
                        result.completeExceptionally(new IOException("upstream body larger than " + limit + " bytes"));
                        return;
                    }
                    byte[] value = chunk.toArray();
                    out.write(value, 0, value.length);
                }
            }

            @Override
            protected void hookOnComplete() {
                result.complete(out.toByteArray());
            }

            @Override
            protected void hookOnError(Throwable throwable) {
                result.completeExceptionally(throwable);
            }
        };
        body.subscribe(reader);
        result.whenComplete((bytes, error) -> {
            if (error != null) {
                reader.dispose(); // abandoned by the caller (or failed): stop reading, abort the upstream
            }
        });
        return result;
    }
}
