// Why: a client connection that neither sends a request nor waits for an answer for the idle timeout is closed, so
// abandoned keep-alive connections do not pile up. It replaces Micronaut's idle handling (a Netty IdleStateHandler):
// that one allocates a promise and a listener for every write (about a fifth of all a streamed answer allocates) and
// it also closes a connection whose answer is still being generated, which an LLM call may legitimately take minutes
// to start. Here a request in flight keeps its connection open (the upstream read timeout bounds it instead), and
// each message costs one clock read. It also knows when its connection is idle, so it is what a graceful shutdown
// (ConnectionDrain) closes connections through.
package dev.tollgate.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Closes its connection once no request has been in flight and nothing was read or written for the timeout. Placed
 * after the HTTP codec it counts requests read against answers written (an interim 1xx answer does not end one);
 * placed where it sees only bytes, any traffic counts and the timeout applies to silence alone. Once told to
 * {@link #drain()}, it closes its connection as soon as no request is in flight, and marks the answers it still writes
 * "Connection: close" (where it sees only bytes it cannot tell, and closes at once).
 */
final class IdleReaper extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private final ConnectionDrain drains;
    private ChannelHandlerContext ctx;
    /** Set on the event loop when draining: the connection closes once no request is in flight. */
    private boolean closing;
    private Ticker ticker;
    private long lastActivity;
    /** Requests read whose answer has not been written to its end. */
    private int inFlight;
    /** The answer being written is an interim (1xx) one, whose end is not the end of a request. */
    private boolean interim;
    private ScheduledFuture<?> check;

    IdleReaper(long timeoutNanos, ConnectionDrain drains) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("the idle timeout must be positive");
        }
        this.timeoutNanos = timeoutNanos;
        this.drains = drains;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        drains.opened(this);
        ticker = ctx.executor() instanceof AbstractScheduledEventExecutor s ? s.ticker() : Ticker.systemTicker();
        lastActivity = ticker.nanoTime();
        if (ctx.channel().isActive()) {
            schedule(ctx, timeoutNanos);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (check == null) {
            schedule(ctx, timeoutNanos);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        drains.closed(this);
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
        drains.closed(this);
    }

    /** From any thread: close the connection once no request is in flight, at once if none is. */
    void drain() {
        try {
            ctx.executor().execute(() -> {
                closing = true;
                if (inFlight == 0) {
                    ctx.close();
                }
            });
        } catch (RejectedExecutionException e) {
            // the event loop is already shutting down, and closes the connection itself
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = ticker.nanoTime();
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = ticker.nanoTime();
        if (msg instanceof HttpResponse response) {
            interim = response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL;
            if (closing && !interim) {
                HttpUtil.setKeepAlive(response, false);
            }
        }
        boolean lastAnswered = false;
        if (msg instanceof LastHttpContent) {
            if (interim) {
                interim = false;
            } else if (inFlight > 0) {
                inFlight--;
                lastAnswered = closing && inFlight == 0;
            }
        }
        if (lastAnswered) {
            ChannelPromise written = promise.unvoid();
            ctx.write(msg, written);
            written.addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long idleFor = ticker.nanoTime() - lastActivity;
        if (inFlight == 0 && idleFor >= timeoutNanos) {
            ctx.close();
            return;
        }
        schedule(ctx, inFlight > 0 ? timeoutNanos : timeoutNanos - idleFor);
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
