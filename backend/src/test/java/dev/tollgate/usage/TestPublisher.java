// Why: the tap's tests need an upstream body whose every signal they control and observe: what was requested,
// whether it was cancelled, and that nothing is emitted beyond the demand (a Reactive Streams rule the tap
// must keep when it swallows a chunk).
package dev.tollgate.usage;

import io.micronaut.buffer.netty.NettyReadBufferFactory;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** Emits queued chunks as they are requested, then completes or fails if told to. Single-threaded. */
final class TestPublisher implements Publisher<ReadBuffer> {
    private static final NettyReadBufferFactory BUFFERS = NettyReadBufferFactory.of(ByteBufAllocator.DEFAULT);

    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    /** Every chunk ever queued, to check their reference counts afterwards. */
    final List<ByteBuf> all = new ArrayList<>();
    private Subscriber<? super ReadBuffer> subscriber;
    private long demand;
    long requested;
    boolean cancelled;
    private boolean completeWhenDrained;
    private Throwable failWhenDrained;
    private boolean terminated;
    private boolean draining;

    TestPublisher(List<ByteBuf> chunks) {
        chunks.forEach(this::queue);
    }

    TestPublisher queue(ByteBuf chunk) {
        queue.add(chunk);
        all.add(chunk);
        drain();
        return this;
    }

    TestPublisher complete() {
        completeWhenDrained = true;
        drain();
        return this;
    }

    TestPublisher fail(Throwable t) {
        failWhenDrained = t;
        drain();
        return this;
    }

    long demand() {
        return demand;
    }

    @Override
    public void subscribe(Subscriber<? super ReadBuffer> s) {
        if (subscriber != null) {
            throw new AssertionError("subscribed twice");
        }
        subscriber = s;
        s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    throw new AssertionError("request(" + n + ")");
                }
                requested += n;
                demand += n;
                drain();
            }

            @Override
            public void cancel() {
                cancelled = true;
                queue.forEach(ByteBuf::release);
                queue.clear();
            }
        });
        drain();
    }

    private void drain() {
        if (subscriber == null || draining || terminated || cancelled) {
            return;
        }
        draining = true;
        try {
            while (demand > 0 && !queue.isEmpty() && !cancelled) {
                demand--;
                subscriber.onNext(BUFFERS.adapt(queue.poll()));
            }
            if (queue.isEmpty() && !cancelled && (completeWhenDrained || failWhenDrained != null)) {
                terminated = true;
                if (failWhenDrained != null) {
                    subscriber.onError(failWhenDrained);
                } else {
                    subscriber.onComplete();
                }
            }
        } finally {
            draining = false;
        }
    }
}
