// Why: the state of one request on one upstream connection: the head future the proxy waits on, then the
// body that streams to the client. Netty events of the connection are routed here.
package dev.tollgate.upstream;

import io.micronaut.buffer.netty.NettyReadBufferFactory;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

final class Exchange {
    private final CompletableFuture<UpstreamResponse> head;
    private final Runnable onReusable;
    private final Runnable abort;
    private UpstreamBody body;
    private boolean keepAlive;
    private boolean finished;

    /**
     * {@code onReusable}: the answer ended and the connection may serve another request; {@code abort}: closes the
     * connection because the proxy cancelled the answer before its end.
     */
    Exchange(CompletableFuture<UpstreamResponse> head, Runnable onReusable, Runnable abort) {
        this.head = head;
        this.onReusable = onReusable;
        this.abort = abort;
    }

    boolean headReceived() {
        return body != null;
    }

    boolean wantsRead() {
        return body == null || body.wantsMore();
    }

    void onMessage(Channel channel, Object msg) {
        if (msg instanceof HttpResponse response) {
            keepAlive = HttpUtil.isKeepAlive(response);
            body = new UpstreamBody(channel, abort);
            head.complete(new Response(response.status().code(), response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    HttpUtil.getContentLength(response, -1L), body));
        }
        if (msg instanceof HttpContent content) {
            ByteBuf buf = content.content();
            if (body != null && buf.isReadable()) {
                // the connection's buffer itself, retained past the handler's release: no copy per chunk
                body.onChunk(NettyReadBufferFactory.of(channel.alloc()).adapt(buf.retain()));
            }
            if (msg instanceof LastHttpContent && body != null) {
                finished = true;
                body.onComplete();
                if (keepAlive && !body.cancelled()) {
                    onReusable.run();
                } else {
                    channel.close();
                }
            }
        }
    }

    /** The connection ended or failed before this exchange finished. */
    void onFailure(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        if (body == null) {
            head.completeExceptionally(cause);
        } else {
            body.onError(cause instanceof IOException ? cause : new IOException("upstream connection failed", cause));
        }
    }

    private record Response(int status, String contentType, long contentLength, UpstreamBody publisher)
            implements UpstreamResponse {
        @Override
        public org.reactivestreams.Publisher<io.micronaut.core.io.buffer.ReadBuffer> body() {
            return publisher;
        }

        @Override
        public CompletableFuture<byte[]> bodyBytes() {
            return BodyCollector.collect(publisher, 16 * 1024 * 1024);
        }

        @Override
        public void discard() {
            publisher.subscribe(new reactor.core.publisher.BaseSubscriber<io.micronaut.core.io.buffer.ReadBuffer>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                    subscription.cancel();
                }
            });
        }
    }
}
