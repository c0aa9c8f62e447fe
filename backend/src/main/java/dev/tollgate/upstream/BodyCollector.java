// Why: small upstream answers (listings, error bodies) are read whole, with a cap so a misbehaving upstream
// cannot exhaust memory.
package dev.tollgate.upstream;

import io.micronaut.core.io.buffer.ReadBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

final class BodyCollector {
    private BodyCollector() {
    }

    static CompletableFuture<byte[]> collect(Publisher<ReadBuffer> body, int limit) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.subscribe(new BaseSubscriber<ReadBuffer>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            protected void hookOnNext(ReadBuffer chunk) {
                try (chunk) {
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
        });
        return result;
    }
}
