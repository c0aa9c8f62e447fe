// Why: writes a lane call's answer with Netty: a whole body as one response of known length, a stream as a chunked
// response whose chunks are written as the upstream delivers them, one at a time while the client's connection takes
// them (backpressure: a slow client is not buffered for); a client that leaves cancels the stream, which stops the
// upstream. Date and x-request-id as on every proxy answer.
package dev.tollgate.proxy;

import dev.tollgate.web.Listeners;
import io.micronaut.buffer.netty.NettyReadBufferFactory;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.function.Consumer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** One answer; runs on the connection's event loop. */
final class LaneWriter implements Subscriber<ReadBuffer> {
    private final ChannelHandlerContext ctx;
    private final EventLoop loop;
    private final ProxyAnswer answer;
    private boolean keepAlive;
    private final String date;
    private final LaneCall call;
    /** Told when the answer has ended: true when the connection can take the next request. */
    private final Consumer<Boolean> ended;
    private Subscription subscription;
    private boolean waitingForWritable;
    private boolean done;

    LaneWriter(ChannelHandlerContext ctx, LaneCall call, ProxyAnswer answer, boolean close, String date,
               Consumer<Boolean> ended) {
        this.ctx = ctx;
        this.loop = ctx.channel().eventLoop();
        this.call = call;
        this.answer = answer;
        this.keepAlive = call.keepAlive() && !close;
        this.date = date;
        this.ended = ended;
    }

    void start() {
        HttpResponseStatus status = HttpResponseStatus.valueOf(answer.status());
        if (answer.whole() != null) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(call.version(), status,
                    Unpooled.wrappedBuffer(answer.whole()));
            HttpUtil.setContentLength(response, answer.whole().length);
            headers(response);
            ctx.writeAndFlush(response).addListener(f -> end(f.isSuccess()));
            done = true;
            return;
        }
        DefaultHttpResponse response = new DefaultHttpResponse(call.version(), status);
        if (call.version().minorVersion() == 0) {
            keepAlive = false; // HTTP/1.0 has no chunked coding: the end of the connection ends the stream
        } else {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        headers(response);
        ctx.write(response, ctx.voidPromise());
        answer.stream().subscribe(this);
    }

    private void headers(HttpResponse response) {
        if (answer.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        answer.headers().forEach(response.headers()::set);
        response.headers().set(HttpHeaderNames.DATE, date);
        response.headers().set(Listeners.REQUEST_ID, call.requestId());
        HttpUtil.setKeepAlive(response, keepAlive);
    }

    private void end(boolean written) {
        ended.accept(keepAlive && written);
    }

    @Override
    public void onSubscribe(Subscription s) {
        onLoop(() -> {
            subscription = s;
            if (!ctx.channel().isActive()) {
                connectionClosed();
            } else {
                s.request(1);
            }
        });
    }

    @Override
    public void onNext(ReadBuffer chunk) {
        onLoop(() -> {
            ctx.writeAndFlush(new DefaultHttpContent(NettyReadBufferFactory.toByteBuf(chunk)), ctx.voidPromise());
            if (ctx.channel().isWritable()) {
                subscription.request(1);
            } else {
                waitingForWritable = true;
            }
        });
    }

    /** A stream broken off: the client's chunked answer is cut short too (the connection closes). */
    @Override
    public void onError(Throwable t) {
        onLoop(() -> {
            done = true;
            ctx.close();
        });
    }

    @Override
    public void onComplete() {
        onLoop(() -> {
            done = true;
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> end(f.isSuccess()));
        });
    }

    void writabilityChanged() {
        if (waitingForWritable && ctx.channel().isWritable()) {
            waitingForWritable = false;
            subscription.request(1);
        }
    }

    /** The client left: a stream still under way is cancelled, which closes its upstream connection. */
    void connectionClosed() {
        if (!done && subscription != null) {
            done = true;
            subscription.cancel();
        }
    }

    private void onLoop(Runnable step) {
        RequestLoop.execute(loop, step);
    }
}
