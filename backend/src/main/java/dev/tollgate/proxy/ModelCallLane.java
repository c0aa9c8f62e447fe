// Why: model calls are the gateway's hot path, and on it Micronaut's router and response path (routing, filters,
// argument binding, the reactive body adapters) cost more than the gateway's own steps: streaming at concurrency 64,
// they added milliseconds to the p99 over a bare Netty relay (bench/README.md). This handler sits on each proxy
// connection just after the HTTP codec and takes the model-call POSTs itself: it reads the body, hands the call to
// the same ProxyPipeline the controllers use, and writes the answer with Netty (a stream chunk by chunk as it
// arrives). Every other request, and any request while one the router took is unanswered, goes on to Micronaut.
package dev.tollgate.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/** One per proxy connection; everything runs on the connection's event loop. */
final class ModelCallLane extends ChannelDuplexHandler {
    private final LaneCalls calls;
    /** Requests passed on to the router whose answer has not ended; while any is, the router takes every request. */
    private int routed;
    /** True while the contents of the current request go on to the router. */
    private boolean passing;
    /** The model call whose body is being read, else null. */
    private LaneCall reading;
    /** True from a model call's last body byte until its answer has ended. */
    private boolean answering;
    /**
     * True from a refusal of a body as too large: whatever the client still sends is dropped (LingeringClose), so
     * nothing is held and reads go on.
     */
    private boolean draining;
    /** Inbound messages that came while the lane answered (a pipelining client), handled in order after it. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** The router asked for a read while the lane held enough; it is done when the lane's answer has ended. */
    private boolean readDeferred;
    /** True when messages went on to the router since its last read-complete. */
    private boolean fired;
    private LaneWriter writer;
    private ChannelHandlerContext ctx;

    ModelCallLane(LaneCalls calls) {
        this.calls = calls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (draining) {
            ReferenceCountUtil.release(msg);
        } else if (answering) {
            held.add(msg);
        } else {
            handle(ctx, msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            ModelCall call = routed == 0 && request.decoderResult().isSuccess() ? LaneCalls.laneCallOf(request) : null;
            if (call == null) {
                routed++;
                passing = !(msg instanceof LastHttpContent);
                fire(ctx, msg);
            } else {
                start(ctx, request, call);
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            if (passing) {
                passing = !(msg instanceof LastHttpContent);
                fire(ctx, msg);
            } else if (reading != null) {
                read(ctx, content);
            } else {
                content.release(); // the rest of a body the codec could not frame
            }
            return;
        }
        fire(ctx, msg);
    }

    private void fire(ChannelHandlerContext ctx, Object msg) {
        fired = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        fired = false;
        if (draining) {
            LingeringClose.keepReading(ctx);
        }
        ctx.fireChannelReadComplete();
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request, ModelCall call) {
        LaneCall next = new LaneCall(request, call, ctx.channel(), calls.maxBodyBytes(), ctx.alloc());
        if (next.declaredTooLarge()) {
            ReferenceCountUtil.release(request);
            refuseTooLarge(ctx, next);
            return;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(LaneCalls.CONTINUE.retainedDuplicate());
        }
        reading = next;
        if (request instanceof HttpContent content) {
            read(ctx, content);
        }
    }

    private void read(ChannelHandlerContext ctx, HttpContent content) {
        LaneCall call = reading;
        if (content.decoderResult().isFailure()) {
            // a body the codec could not frame (a malformed chunk): no answer can be trusted to follow it
            content.release();
            call.release();
            reading = null;
            ctx.close();
            return;
        }
        if (!call.append(content)) {
            reading = null;
            refuseTooLarge(ctx, call);
            return;
        }
        if (content instanceof LastHttpContent) {
            reading = null;
            answering = true;
            calls.forward(call, answer -> {
                writer = new LaneWriter(ctx, call, answer, false, calls.date(), this::answered);
                writer.start();
            });
        }
    }

    /**
     * A body over the limit: 413, and the connection closes. The rest of the body, and anything after it, is read
     * and dropped until then, so the client gets the answer rather than a reset (LingeringClose).
     */
    private void refuseTooLarge(ChannelHandlerContext ctx, LaneCall call) {
        answering = true;
        draining = true;
        release();
        call.release();
        writer = new LaneWriter(ctx, call, calls.tooLarge(call), true, calls.date(), keepAlive -> {
            writer = null;
            LingeringClose.start(ctx);
        });
        writer.start();
    }

    /** The lane's answer has ended: the next request is handled, or the connection closes. */
    private void answered(boolean keepAlive) {
        writer = null;
        answering = false;
        if (!keepAlive) {
            ctx.close();
            return;
        }
        while (!answering && !held.isEmpty()) {
            handle(ctx, held.poll());
        }
        if (fired) {
            channelReadComplete(ctx);
        }
        if (readDeferred && !answering) {
            readDeferred = false;
            ctx.read();
        }
    }

    /** A whole further request, or more than a body's worth of bytes, waits for the lane's answer. */
    private boolean heldEnough() {
        long bytes = 0;
        for (Object msg : held) {
            if (msg instanceof LastHttpContent) {
                return true;
            }
            if (msg instanceof HttpContent content) {
                bytes += content.content().readableBytes();
            }
        }
        return bytes > calls.maxBodyBytes();
    }

    /**
     * Reads go on while the lane answers (so a client that leaves is seen at once) until a whole further request,
     * or a body's worth of bytes, waits: then a pipelining client waits for the answer, as the router makes it.
     */
    @Override
    public void read(ChannelHandlerContext ctx) {
        if (answering && heldEnough()) {
            readDeferred = true;
        } else {
            ctx.read();
        }
    }

    /** Counts the router's answers as they end: the lane takes requests again when none is outstanding. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent && routed > 0
                && !(msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            routed--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (writer != null) {
            writer.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        if (writer != null) {
            writer.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (reading != null) {
            reading.release();
            reading = null;
        }
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
