// Why: the production UpstreamClient. A small HTTP/1.1 client on the server's own Netty event loops:
// keep-alive connections pooled per event loop (no locks, no thread hops), auto-read off so the body
// follows the client's demand, and a cancelled body closes its connection so the upstream stops generating
// (Micronaut's client drains the rest instead, which would let an abandoned generation run to its end). A connection
// closed that way is replaced by a new idle one at once, so the next request does not wait for a TCP (and TLS)
// handshake because an earlier client went away. A request that fails on a kept-alive connection is sent again on a
// fresh one only when the failure came at once (the upstream had closed that connection as it was reused), not when it
// came later, after the upstream may have worked on it: such a generation is not started again, nor its wait.
package dev.tollgate.upstream;

import io.micronaut.http.netty.channel.EventLoopGroupConfiguration;
import io.micronaut.http.netty.channel.EventLoopGroupFactory;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import io.micronaut.http.netty.channel.NettyChannelType;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

@Singleton
public class NettyUpstreamClient implements UpstreamClient {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_SECONDS = 900;
    private static final int MAX_IDLE_PER_ORIGIN = 512;
    /**
     * Read buffers of 4 KiB at least: Netty's default shrinks them to the ~250-byte events of a stream, and then the
     * several events an upstream sends together (last token, finish, usage, [DONE]) take several reads, each on a
     * later pass of the event loop, and leave for the client one by one.
     */
    private static final int MIN_READ_BYTES = 4096;
    private static final int INITIAL_READ_BYTES = 8192;
    private static final int MAX_READ_BYTES = 65536;

    /**
     * How soon after a request is written on a kept-alive connection its failure still means the connection was dead
     * when it was reused (the upstream's close or reset reaches us within a round trip), so the request is sent again.
     * A later failure may come after the upstream worked on the request, which is then not repeated.
     */
    static final Duration STALE_CONNECTION_WINDOW = Duration.ofSeconds(1);

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final long staleWindowNanos;
    private final LongSupplier nanoTime;
    private final SslContext ssl;
    private final Map<EventLoop, Map<String, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();
    private final FastThreadLocal<EventLoop> currentLoop = new FastThreadLocal<>() {
        @Override
        protected EventLoop initialValue() {
            for (EventExecutor e : group) {
                if (e.inEventLoop()) {
                    return (EventLoop) e;
                }
            }
            return null;
        }
    };

    private volatile boolean closed;

    /** Connections use the server's event loops, so also their transport (epoll on Linux, else NIO). */
    @Inject
    public NettyUpstreamClient(EventLoopGroupRegistry groups, EventLoopGroupFactory factory) throws SSLException {
        this(groups.getDefaultEventLoopGroup(), factory.channelClass(NettyChannelType.CLIENT_SOCKET,
                groups.getEventLoopGroupConfiguration(EventLoopGroupConfiguration.DEFAULT).orElse(null)));
    }

    /** On {@code group}, whose channels are of {@code channelClass} (tests: a loop of their own). */
    public NettyUpstreamClient(EventLoopGroup group, Class<? extends Channel> channelClass) throws SSLException {
        this(group, channelClass, STALE_CONNECTION_WINDOW, System::nanoTime);
    }

    /**
     * As above, with the window within which a failed request on a kept-alive connection is sent again, measured on
     * {@code nanoTime} (tests: a clock of their own).
     */
    NettyUpstreamClient(EventLoopGroup group, Class<? extends Channel> channelClass, Duration staleWindow,
                        LongSupplier nanoTime) throws SSLException {
        this.group = group;
        this.channelClass = channelClass;
        this.staleWindowNanos = staleWindow.toNanos();
        this.nanoTime = nanoTime;
        this.ssl = SslContextBuilder.forClient().build();
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(Upstream upstream, UpstreamRequest request) {
        CompletableFuture<UpstreamResponse> head = new CompletableFuture<>();
        EventLoop loop = currentLoop.get();
        if (loop == null) {
            EventLoop next = group.next();
            next.execute(() -> start(next, upstream, request, head, true));
        } else {
            start(loop, upstream, request, head, true);
        }
        return head;
    }

    private void start(EventLoop loop, Upstream upstream, UpstreamRequest request,
                       CompletableFuture<UpstreamResponse> head, boolean mayRetry) {
        if (head.isDone()) {
            return; // cancelled by the caller before it was sent
        }
        URI base = upstream.baseUrl();
        String origin = base.getScheme() + "://" + base.getHost() + ":" + port(base);
        ArrayDeque<Channel> pool = idle.computeIfAbsent(loop, l -> new HashMap<>())
                .computeIfAbsent(origin, o -> new ArrayDeque<>());
        Channel pooled;
        while ((pooled = pool.pollLast()) != null && !pooled.isActive()) {
            // a connection the upstream closed while idle
        }
        if (pooled != null) {
            CompletableFuture<UpstreamResponse> attempt = new CompletableFuture<>();
            long sent = nanoTime.getAsLong();
            attempt.whenComplete((r, e) -> {
                if (e == null) {
                    head.complete(r);
                } else if (mayRetry && !head.isDone() && nanoTime.getAsLong() - sent <= staleWindowNanos) {
                    // the upstream closed this kept-alive connection just as it was reused: nothing of the answer
                    // came, and too soon for the upstream to have worked on it, so it goes once more on a fresh one
                    start(loop, upstream, request, head, false);
                } else {
                    head.completeExceptionally(e);
                }
            });
            exchange(pooled, pool, upstream, request, attempt, head);
            return;
        }
        ChannelFuture connect = bootstrap(loop, base).connect(base.getHost(), port(base));
        connect.addListener(f -> {
            if (f.isSuccess() && head.isDone()) {
                idle(connect.channel(), pool); // cancelled while connecting: keep the connection for the next request
            } else if (f.isSuccess()) {
                exchange(connect.channel(), pool, upstream, request, head, head);
            } else {
                head.completeExceptionally(f.cause());
            }
        });
    }

    /**
     * Sends {@code request} on {@code channel}; {@code result} completes with its head. When the caller cancels
     * {@code callerHead} while the exchange is still on the connection (the proxy's client left before the answer
     * began), the connection is closed, so the upstream stops working on it, and replaced.
     */
    private void exchange(Channel channel, ArrayDeque<Channel> pool, Upstream upstream, UpstreamRequest request,
                          CompletableFuture<UpstreamResponse> result, CompletableFuture<UpstreamResponse> callerHead) {
        ConnectionHandler handler = channel.pipeline().get(ConnectionHandler.class);
        Exchange exchange = new Exchange(result, () -> {
            handler.end();
            idle(channel, pool);
        }, () -> abort(channel, upstream, pool));
        handler.begin(exchange);
        channel.writeAndFlush(toNetty(upstream, request));
        channel.read();
        callerHead.whenComplete((r, e) -> {
            if (e instanceof CancellationException) {
                channel.eventLoop().execute(() -> {
                    if (handler.current() == exchange && channel.isActive()) {
                        handler.end();
                        abort(channel, upstream, pool);
                    }
                });
            }
        });
    }

    private static void idle(Channel channel, ArrayDeque<Channel> pool) {
        if (pool.size() < MAX_IDLE_PER_ORIGIN && channel.isActive()) {
            pool.addLast(channel);
        } else {
            channel.close();
        }
    }

    /** Closes a connection whose request was abandoned, so the upstream stops working on it, and replaces it. */
    private void abort(Channel channel, Upstream upstream, ArrayDeque<Channel> pool) {
        channel.close();
        replace(channel.eventLoop(), upstream, pool);
    }

    /**
     * Opens an idle connection in place of one closed to cancel an abandoned answer. A failed attempt is not
     * retried: the next request connects itself and reports what fails.
     */
    private void replace(EventLoop loop, Upstream upstream, ArrayDeque<Channel> pool) {
        if (closed || pool.size() >= MAX_IDLE_PER_ORIGIN) {
            return;
        }
        URI base = upstream.baseUrl();
        ChannelFuture connect = bootstrap(loop, base).connect(base.getHost(), port(base));
        connect.addListener(f -> {
            if (f.isSuccess() && closed) {
                connect.channel().close();
            } else if (f.isSuccess()) {
                idle(connect.channel(), pool);
            }
        });
    }

    private Bootstrap bootstrap(EventLoop loop, URI base) {
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        return new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.RECVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(MIN_READ_BYTES, INITIAL_READ_BYTES, MAX_READ_BYTES))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), base.getHost(), port(base)));
                        }
                        ch.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS));
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new ConnectionHandler());
                    }
                });
    }

    private static FullHttpRequest toNetty(Upstream upstream, UpstreamRequest request) {
        URI base = upstream.baseUrl();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        byte[] body = request.body();
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                basePath + request.path(), body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        http.headers().set(HttpHeaderNames.HOST, base.getPort() > 0 ? base.getHost() + ":" + base.getPort() : base.getHost());
        http.headers().set(HttpHeaderNames.ACCEPT, request.accept());
        http.headers().set(HttpHeaderNames.USER_AGENT, "tollgate");
        http.headers().set(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
        if (body != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        }
        if (upstream.apiKey() != null) {
            http.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + upstream.apiKey());
        }
        return http;
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @PreDestroy
    void close() {
        closed = true;
        idle.forEach((loop, pools) -> loop.execute(() -> pools.values().forEach(q -> q.forEach(Channel::close))));
    }
}
