// Why: the limit engine settles each reservation with the usage the upstream reported, and learns it only from
// the response body on its way to the client. The tap sits on that hot path: it passes every chunk through
// untouched (the upstream's own buffer, no copy) while its decoder scans the bytes, keeps Reactive Streams
// demand and cancellation intact, and completes one result, exactly once, however the body ends.
package dev.tollgate.usage;

import io.micronaut.buffer.netty.NettyReadBufferFactory;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A response body as the client receives it, metered. Subscribe once (the body can be read once); {@link #result()}
 * completes when the body ends, the upstream fails, or the subscriber cancels, on the thread where that happens,
 * so its dependents must not block.
 */
public final class UsageTap implements Publisher<ReadBuffer> {
    private static final NettyReadBufferFactory BUFFERS = NettyReadBufferFactory.of(ByteBufAllocator.DEFAULT);

    private final Publisher<ReadBuffer> upstream;
    private final UsageDecoder decoder;
    private final LongSupplier nanoTime;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final CompletableFuture<TapResult> result = new CompletableFuture<>();

    private UsageTap(Publisher<ReadBuffer> upstream, UsageDecoder decoder, LongSupplier nanoTime) {
        this.upstream = upstream;
        this.decoder = decoder;
        this.nanoTime = nanoTime;
    }

    /** Meters {@code body} with {@code decoder} (see {@link UsageFormat#decoder(boolean)}). */
    public static UsageTap of(Publisher<ReadBuffer> body, UsageDecoder decoder) {
        return of(body, decoder, System::nanoTime);
    }

    /** As {@link #of(Publisher, UsageDecoder)}, with the clock that stamps the first chunk. */
    public static UsageTap of(Publisher<ReadBuffer> body, UsageDecoder decoder, LongSupplier nanoTime) {
        return new UsageTap(body, decoder, nanoTime);
    }

    /** Completes exactly once: body ended, upstream failed, or client cancelled. Never completes exceptionally. */
    public CompletableFuture<TapResult> result() {
        return result;
    }

    @Override
    public void subscribe(Subscriber<? super ReadBuffer> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("a response body can be read once"));
            return;
        }
        SseDecoder stripping = decoder instanceof SseDecoder sse && sse.strips() ? sse : null;
        upstream.subscribe(new Relay(subscriber, stripping));
    }

    /** Subscriber to the upstream and subscription of the client, in one. */
    private final class Relay implements Subscriber<ReadBuffer>, Subscription {
        private final Subscriber<? super ReadBuffer> downstream;
        /** Non-null when the usage-only event is to be kept from the client; then the fields below are used. */
        private final SseDecoder stripping;
        private final Holdback holdback = new Holdback();
        private final AtomicBoolean finished = new AtomicBoolean();
        private Subscription up;
        private boolean decoding = true;
        private volatile boolean arrived;
        private volatile long firstChunkNanos;
        private volatile long bytes;
        private volatile long chunks;
        private volatile boolean cancelled;
        /** Stripping: items the client asked for and has not received (guarded by this). */
        private long unmet;
        /** Stripping: the last bytes, waiting for the client's demand before completion (guarded by this). */
        private ByteBuf tail;

        Relay(Subscriber<? super ReadBuffer> downstream, SseDecoder stripping) {
            this.downstream = downstream;
            this.stripping = stripping;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (up != null) {
                s.cancel();
                return;
            }
            up = s;
            downstream.onSubscribe(this);
        }

        @Override
        public void onNext(ReadBuffer chunk) {
            if (cancelled) {
                chunk.close();
                return;
            }
            ByteBuf buf = NettyReadBufferFactory.toByteBuf(chunk);
            if (!arrived) {
                firstChunkNanos = nanoTime.getAsLong();
                arrived = true;
            }
            long start = stripping == null ? 0 : stripping.position();
            feed(buf);
            if (stripping == null) {
                deliver(buf);
                return;
            }
            ByteBuf out;
            synchronized (this) {
                if (cancelled) {
                    buf.release();
                    return;
                }
                out = decoding ? holdback.pass(buf, start, stripping) : holdback.flush(buf);
                if (out != null && out.isReadable()) {
                    unmet--;
                }
            }
            if (out == null || !out.isReadable()) {
                if (out != null) {
                    out.release();
                }
                up.request(1); // the client asked for an item and got none: ask the upstream for another
            } else {
                deliver(out);
            }
        }

        /** Feeds the decoder; a decoder that fails stops metering, never the client's stream. */
        private void feed(ByteBuf buf) {
            if (!decoding) {
                return;
            }
            try {
                decoder.feed(buf);
            } catch (RuntimeException e) {
                decoding = false;
            }
        }

        private void deliver(ByteBuf buf) {
            if (cancelled) {
                buf.release();
                return;
            }
            bytes += buf.readableBytes();
            chunks++;
            downstream.onNext(BUFFERS.adapt(buf));
        }

        @Override
        public void onError(Throwable t) {
            releaseHeld();
            if (cancelled) {
                return;
            }
            try {
                downstream.onError(t);
            } finally {
                finish(TapResult.Outcome.UPSTREAM_FAILED);
            }
        }

        @Override
        public void onComplete() {
            if (cancelled) {
                return;
            }
            if (decoding) {
                try {
                    decoder.end();
                } catch (RuntimeException e) {
                    decoding = false;
                }
            }
            if (stripping != null) {
                ByteBuf last;
                synchronized (this) {
                    last = decoding ? holdback.pass(Unpooled.EMPTY_BUFFER, stripping.position(), stripping)
                            : holdback.flush(Unpooled.EMPTY_BUFFER);
                    if (last != null && !last.isReadable()) {
                        last.release();
                        last = null;
                    }
                    if (last != null && unmet == 0) {
                        tail = last; // delivered with the completion when the client asks for more
                        return;
                    }
                    if (last != null) {
                        unmet--;
                    }
                }
                if (last != null) {
                    deliver(last);
                }
            }
            complete();
        }

        private void complete() {
            try {
                downstream.onComplete();
            } finally {
                finish(TapResult.Outcome.COMPLETED);
            }
        }

        @Override
        public void request(long n) {
            if (stripping == null) {
                up.request(n);
                return;
            }
            ByteBuf last;
            synchronized (this) {
                unmet = n <= 0 || unmet + n < 0 ? Long.MAX_VALUE : unmet + n;
                last = tail;
                tail = null;
            }
            if (last == null) {
                up.request(n);
            } else {
                deliver(last);
                complete();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            up.cancel();
            releaseHeld();
            finish(TapResult.Outcome.CANCELLED);
        }

        private void releaseHeld() {
            if (stripping == null) {
                return;
            }
            synchronized (this) {
                holdback.release();
                if (tail != null) {
                    tail.release();
                    tail = null;
                }
            }
        }

        private void finish(TapResult.Outcome outcome) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            Usage usage;
            long events;
            String text;
            try {
                usage = decoder.usage();
                events = decoder.events();
                text = decoder.text();
            } catch (RuntimeException e) {
                usage = null;
                events = 0;
                text = null;
            }
            OptionalLong first = arrived ? OptionalLong.of(firstChunkNanos) : OptionalLong.empty();
            result.complete(new TapResult(outcome, usage, bytes, chunks, first, events, text));
        }
    }
}
