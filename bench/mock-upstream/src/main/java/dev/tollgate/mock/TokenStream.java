// Drives one generation on its channel's event loop: emits tokens on ctx.executor() timers (never
// sleeping), finishes, or stops early when the client disconnects, keeping the stream counters honest.
package dev.tollgate.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

final class TokenStream implements TokenClock.Due {
    /** mock-slow-fail emits this many tokens, then drops the connection. */
    static final int SLOW_FAIL_TOKENS = 2;
    /** mock-stall emits this many tokens, then nothing more until the client leaves. */
    static final int STALL_TOKENS = 3;

    private final MockHandler h;
    private final ChannelHandlerContext ctx;
    private final Generation g;
    private final WireFormat f;
    private final long delayMs;
    private final boolean keepAlive;
    private int next;
    private boolean done;
    /** When the stream started: token i is due at started + (i + 1) * delay, so lateness never accumulates. */
    private long startedNanos;
    private ScheduledFuture<?> timer;     // non-streaming answers with a delay

    TokenStream(MockHandler h, ChannelHandlerContext ctx, Generation g, WireFormat f, long delayMs, boolean keepAlive) {
        this.h = h;
        this.ctx = ctx;
        this.g = g;
        this.f = f;
        this.delayMs = delayMs;
        this.keepAlive = keepAlive;
    }

    private int limit() {
        return g.slowFail ? SLOW_FAIL_TOKENS : g.stalls && g.stream ? Math.min(STALL_TOKENS, g.outputTokens) : g.outputTokens;
    }

    void start() {
        if (!g.stream) {
            long wait = delayMs * limit();
            if (wait == 0) {
                completeFull();
            } else {
                timer = ctx.executor().schedule(this::completeFull, wait, TimeUnit.MILLISECONDS);
            }
            return;
        }
        h.counters().streamsStarted.increment();
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType(true))
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        h.connectionHeaders(head);
        ctx.write(head, ctx.voidPromise());
        if (delayMs == 0) {
            while (!done) emitNext();
            h.flushIfIdle();
        } else {
            startedNanos = System.nanoTime();
            TokenClock.of(ctx.channel().eventLoop()).add(this);
        }
    }

    /** Tokens come at a fixed rate (like a model generating at N tokens/s), not "delay after the last write". */
    @Override
    public long dueNanos() {
        return startedNanos + TimeUnit.MILLISECONDS.toNanos(delayMs) * (next + 1);
    }

    /** Clock tick: emit the next token (the last one also ends the stream); false once the stream is over. */
    @Override
    public boolean fire() {
        if (done) return false;
        if (!ctx.channel().isActive()) {
            cancel();
            return false;
        }
        emitNext();
        if (done) return false;
        h.flushIfIdle();
        return true;
    }

    private void emitNext() {
        int limit = limit();
        if (next < limit) chunk(f.token(g, next++));
        if (next >= limit) {
            if (g.slowFail) abort(); else if (g.stalls) stall(); else finishStream();
        }
    }

    private void chunk(CharSequence s) {
        ctx.write(new DefaultHttpContent(ByteBufUtil.writeUtf8(ctx.alloc(), s)), ctx.voidPromise());
    }

    private void finishStream() {
        done = true;
        h.counters().streamsCompleted.increment();
        h.responseFinished();
        f.end(g, this::chunk);
        if (keepAlive) {
            ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        } else {
            ctx.write(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
        h.streamDone(this);
    }

    private void completeFull() {
        timer = null;
        if (done) return;
        if (!ctx.channel().isActive()) {
            cancel();
            return;
        }
        if (g.slowFail || g.stalls) {
            halfAnswer();
            return;
        }
        done = true;
        h.respond(HttpResponseStatus.OK, f.contentType(false), f.full(g));
        h.streamDone(this);
    }

    /** mock-stall: flush what was produced and wait; the channel's close ends the stream as a cancellation. */
    private void stall() {
        done = true;
        ctx.flush();
        ctx.channel().closeFuture().addListener(f -> {
            h.counters().streamsCancelled.increment();
            h.responseFinished();
        });
    }

    /**
     * Not streaming: the head with the whole answer's Content-Length and the first half of the answer; then
     * mock-slow-fail drops the connection (a network cut mid-response) and mock-stall waits until the client leaves.
     */
    private void halfAnswer() {
        done = true;
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), f.full(g));
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType(false))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        ctx.write(head, ctx.voidPromise());
        ctx.write(new DefaultHttpContent(body.retainedSlice(0, body.readableBytes() / 2)), ctx.voidPromise());
        body.release();
        ctx.flush();
        if (g.slowFail) {
            h.responseFinished();
            ctx.close();
        } else {
            ctx.channel().closeFuture().addListener(closed -> h.responseFinished());
        }
    }

    /** mock-slow-fail: flush what was produced, then close without the terminating chunk. */
    private void abort() {
        done = true;
        h.responseFinished();
        ctx.flush();
        ctx.close();
    }

    /** The client went away before the response finished. */
    void cancel() {
        if (done) return;
        done = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (g.stream) h.counters().streamsCancelled.increment();
        h.responseFinished();
    }
}
