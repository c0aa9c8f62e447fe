// Why: an upstream often sends several events in one TCP segment (a model's last token, its finish event, the usage
// and [DONE] arrive together), and Micronaut flushes every piece it relays as a write of its own, the end of the
// chunked body included: the client got four packets, and up to four wake-ups, for the upstream's one. While one read
// of an upstream connection is handed on, flushes of client connections on the same event loop are held, and each
// is done once when that read has been handled, so what arrived together leaves together.
package dev.tollgate.upstream;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Per event loop: whether a read of an upstream connection is being handed on, and the client connections whose
 * flush waits for its end. The upstream side calls {@link #begin()} for each message it hands on and {@link #end()}
 * when the read is complete (Netty follows every batch of reads with a read-complete); the client side installs
 * {@link #handler()}. A flush is only ever delayed within one pass of the event loop, never across reads, and the
 * flush that follows the end of an answer is never held: the client has all of it before the gateway does its
 * bookkeeping (settling, metering) for that answer.
 */
public final class FlushHold {
    private static final FastThreadLocal<FlushHold> LOOP = new FastThreadLocal<>() {
        @Override
        protected FlushHold initialValue() {
            return new FlushHold();
        }
    };
    private static final ChannelHandler HANDLER = new Handler();

    private final ArrayList<ChannelHandlerContext> held = new ArrayList<>(4);
    private boolean reading;
    /** The connection on which the end of an answer was just written, whose next flush is done at once. */
    private ChannelHandlerContext ended;

    private FlushHold() {
    }

    /** An upstream message is being handed on, on this thread: client flushes wait for {@link #end()}. */
    static void begin() {
        LOOP.get().reading = true;
    }

    /** The upstream read has been handed on: every held flush is done, once per connection. */
    static void end() {
        LOOP.get().release();
    }

    /** The client-connection handler (stateless, shared): holds a flush while an upstream read is handed on. */
    public static ChannelHandler handler() {
        return HANDLER;
    }

    private void release() {
        reading = false;
        // each is taken off before its flush: a flush may lead to more writes (flushed at once now, reading is off),
        // even to an end on another held connection, which takes that one off the list itself
        while (!held.isEmpty()) {
            held.remove(held.size() - 1).flush();
        }
    }

    private boolean hold(ChannelHandlerContext ctx) {
        if (ended == ctx) {
            ended = null;
            held.remove(ctx);
            return false;
        }
        if (!reading) {
            return false;
        }
        if (!held.contains(ctx)) {
            held.add(ctx);
        }
        return true;
    }

    /** Does a flush held for {@code ctx} now, if there is one; a connection that goes is not remembered. */
    private void releaseOne(ChannelHandlerContext ctx) {
        if (ended == ctx) {
            ended = null;
        }
        if (held.remove(ctx)) {
            ctx.flush();
        }
    }

    @ChannelHandler.Sharable
    private static final class Handler extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent) {
                LOOP.get().ended = ctx;
            }
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!LOOP.get().hold(ctx)) {
                ctx.flush();
            }
        }

        /** Closing drops what was written and not flushed: a held flush is done first, as it would have been. */
        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            LOOP.get().releaseOne(ctx);
            ctx.close(promise);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            LOOP.get().releaseOne(ctx);
        }

        @Override
        public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
            LOOP.get().releaseOne(ctx);
            ctx.disconnect(promise);
        }
    }
}
