// Per-connection HTTP handler: routes requests, writes responses with keep-alive, serialises
// pipelined requests behind an in-progress stream, and notices client disconnects.
package dev.tollgate.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

final class MockHandler extends ChannelInboundHandlerAdapter {
    private static final int MAX_PIPELINED = 16;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final MockUpstream server;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean keepAlive;
    private boolean http10;
    private boolean tracked;          // current request counted in in_flight
    private boolean responseStarted;  // current request got (or is getting) a response
    private TokenStream active;       // generation in progress on this connection
    private boolean inRead;           // inside a read burst: channelReadComplete will flush
    private boolean readPaused;

    MockHandler(MockUpstream server) {
        this.server = server;
    }

    MockConfig config() { return server.config(); }
    StatsCounters counters() { return server.counters(); }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inRead = true;
        if (active != null || !pending.isEmpty()) {
            pending.add(req);
            if (pending.size() >= MAX_PIPELINED && !readPaused) {
                readPaused = true;
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        handle(req);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        ctx.flush();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counters().connectionsAccepted.increment();
        counters().connectionsOpen.incrementAndGet();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters().connectionsOpen.decrementAndGet();
        if (active != null) {
            active.cancel();
            active = null;
        }
        FullHttpRequest r;
        while ((r = pending.poll()) != null) r.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void handle(FullHttpRequest req) {
        responseStarted = false;
        try {
            keepAlive = HttpUtil.isKeepAlive(req);
            http10 = req.protocolVersion() == HttpVersion.HTTP_1_0;
            if (req.decoderResult().isFailure()) {
                keepAlive = false;
                text(HttpResponseStatus.BAD_REQUEST, "400 Bad Request");
                return;
            }
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            if (path.startsWith("/_mock/")) {
                ControlRoutes.handle(this, req, path);
                return;
            }
            counters().requests.increment();
            if (req.method() == HttpMethod.POST) {
                counters().modelCalls.increment();
            }
            counters().started();
            tracked = true;
            if (path.startsWith("/api/")) {
                OllamaRoutes.handle(this, req, path);
            } else if (path.startsWith("/v1/")) {
                OpenAiRoutes.handle(this, req, path);
            } else if (path.equals("/") && (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)) {
                text(HttpResponseStatus.OK, req.method() == HttpMethod.HEAD ? "" : "Ollama is running");
            } else {
                notFound();
            }
        } catch (RuntimeException e) {
            if (!responseStarted) {
                json(HttpResponseStatus.INTERNAL_SERVER_ERROR, OllamaFormat.JSON,
                        "{\"error\":" + Json.quote(String.valueOf(e)) + "}");
            } else {
                ctx.close();
            }
        } finally {
            req.release();
        }
    }

    // ---- response API used by the route classes ----

    void startGeneration(Generation g, WireFormat f) {
        responseStarted = true;
        TokenStream ts = new TokenStream(this, ctx, g, f, config().delayMs(), keepAlive);
        active = ts;
        ts.start();
    }

    /** Called by a TokenStream once its response has been fully written. */
    void streamDone(TokenStream ts) {
        if (active != ts) return;
        active = null;
        if (!inRead) drainPending();
    }

    private void drainPending() {
        inRead = true;
        try {
            FullHttpRequest r;
            while (active == null && ctx.channel().isActive() && (r = pending.poll()) != null) handle(r);
        } finally {
            inRead = false;
        }
        ctx.flush();
        if (readPaused && active == null) {
            readPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Failure injection: close the connection without answering the current request. */
    void dropConnection() {
        responseStarted = true;
        responseFinished();
        ctx.flush();
        ctx.close();
    }

    /** Marks the current request's response as finished (in_flight--), at most once. */
    void responseFinished() {
        if (tracked) {
            tracked = false;
            counters().finished();
        }
    }

    void flushIfIdle() {
        if (!inRead) ctx.flush();
    }

    void connectionHeaders(HttpResponse r) {
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    void respond(HttpResponseStatus status, CharSequence contentType, CharSequence body) {
        respond(status, contentType, ByteBufUtil.writeUtf8(ctx.alloc(), body));
    }

    void respond(HttpResponseStatus status, CharSequence contentType, byte[] body) {
        respond(status, contentType, Unpooled.wrappedBuffer(body));
    }

    void respond(HttpResponseStatus status, CharSequence contentType, ByteBuf body) {
        responseStarted = true;
        responseFinished();
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        connectionHeaders(r);
        if (keepAlive) {
            ctx.write(r, ctx.voidPromise());
        } else {
            ctx.write(r).addListener(ChannelFutureListener.CLOSE);
        }
        flushIfIdle();
    }

    void json(HttpResponseStatus status, String contentType, CharSequence body) {
        respond(status, contentType, body);
    }

    void text(HttpResponseStatus status, String body) {
        respond(status, TEXT, body);
    }

    /** Gin's default for unknown routes (and wrong methods), as Ollama sends it. */
    void notFound() {
        text(HttpResponseStatus.NOT_FOUND, "404 page not found");
    }
}
