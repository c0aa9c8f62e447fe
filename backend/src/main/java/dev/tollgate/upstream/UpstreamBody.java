// Why: the body of an upstream response as a Reactive Streams publisher with real backpressure: bytes are
// read from the socket only when the client has asked for more, so a slow client never makes the gateway
// buffer a whole response, and cancelling closes the upstream connection so the model stops generating.
package dev.tollgate.upstream;

import io.netty.channel.Channel;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** Single-subscriber body publisher; every state change happens on the connection's event loop. */
final class UpstreamBody implements org.reactivestreams.Publisher<ReadBuffer> {
    private final Channel channel;
    private final EventLoop loop;
    private final Runnable abort;
    private final ArrayDeque<ReadBuffer> queue = new ArrayDeque<>();
    private Subscriber<? super ReadBuffer> subscriber;
    private long demand;
    private boolean complete;
    private Throwable error;
    private boolean terminated;
    private boolean cancelled;
    private boolean draining;
    private boolean again;

    /** {@code abort}: closes the connection, so the upstream stops; run when the body is cancelled before its end. */
    UpstreamBody(Channel channel, Runnable abort) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.abort = abort;
    }

    @Override
    public void subscribe(Subscriber<? super ReadBuffer> s) {
        run(() -> {
            if (subscriber != null) {
                s.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("an upstream body can be read once"));
                return;
            }
            subscriber = s;
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    run(() -> {
                        if (n <= 0) {
                            cancel();
                            subscriber.onError(new IllegalArgumentException("request must be positive"));
                            return;
                        }
                        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                        drain();
                    });
                }

                @Override
                public void cancel() {
                    run(UpstreamBody.this::cancelNow);
                }
            });
            drain();
        });
    }

    /** True while the subscriber wants bytes that have not been read from the socket yet. */
    boolean wantsMore() {
        return !cancelled && !complete && error == null && subscriber != null && demand > queue.size();
    }

    void onChunk(ReadBuffer chunk) {
        if (cancelled) {
            chunk.close();
            return;
        }
        queue.add(chunk);
        drain();
    }

    void onComplete() {
        complete = true;
        drain();
    }

    void onError(Throwable t) {
        if (complete) {
            return;
        }
        error = t;
        drain();
    }

    /** Abandons the body: if it is not complete the connection is closed, so the upstream stops working. */
    void cancelNow() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        ReadBuffer queued;
        while ((queued = queue.poll()) != null) {
            queued.close();
        }
        if (!complete) {
            abort.run();
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Delivers what the subscriber asked for; re-entrant calls (request() inside onNext) loop here instead. */
    private void drain() {
        if (draining) {
            again = true;
            return;
        }
        draining = true;
        try {
            do {
                again = false;
                if (!drainOnce()) {
                    return;
                }
            } while (again);
            if (wantsMore()) {
                channel.read();
            }
        } finally {
            draining = false;
        }
    }

    /** One pass; answers false when the stream has ended (or was never subscribed to). */
    private boolean drainOnce() {
        if (subscriber == null || terminated || cancelled) {
            return false;
        }
        while (demand > 0 && !queue.isEmpty()) {
            demand--;
            subscriber.onNext(queue.poll());
            if (cancelled) {
                return false;
            }
        }
        if (queue.isEmpty() && (complete || error != null)) {
            terminated = true;
            if (error != null) {
                subscriber.onError(error);
            } else {
                subscriber.onComplete();
            }
            return false;
        }
        return true;
    }

    private void run(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }
}
