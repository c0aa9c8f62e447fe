// Entry point and lifecycle of the mock LLM upstream: a plain-Netty server speaking Ollama's native and
// OpenAI-compatible APIs, used as a test fixture and as the "direct" baseline in benchmarks.
package dev.tollgate.mock;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

public final class MockUpstream implements AutoCloseable {
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final MockConfig config;
    private final StatsCounters counters = new StatsCounters();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final int port;

    private MockUpstream(MockConfig config) {
        this.config = config;
        int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new MockHandler(MockUpstream.this));
                        }
                    });
            channel = b.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("mock-upstream failed to bind " + config.host() + ":" + config.port(), e);
        }
        port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Starts a server with the given (live, mutable) config; port 0 picks an ephemeral port. */
    public static MockUpstream start(MockConfig config) {
        return new MockUpstream(config);
    }

    public int port() { return port; }

    /** e.g. "http://127.0.0.1:11434" (wildcard hosts are reported as 127.0.0.1). */
    public String baseUrl() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "127.0.0.1";
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]";
        return "http://" + host + ":" + port;
    }

    /** The live config: changing tokens/delayMs affects subsequent requests immediately. */
    public MockConfig config() { return config; }

    public MockStats stats() { return counters.snapshot(); }

    /** Zeroes requests and stream counters (in_flight is a live gauge and is kept). */
    public void resetStats() { counters.reset(); }

    StatsCounters counters() { return counters; }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        shutdownGroups();
    }

    private void shutdownGroups() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.terminationFuture().awaitUninterruptibly();
    }

    public static void main(String[] args) {
        MockConfig cfg;
        try {
            cfg = Cli.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mock-upstream: " + e.getMessage());
            System.err.println(Cli.USAGE);
            System.exit(2);
            return;
        }
        if (cfg == null) {
            System.out.println(Cli.USAGE);
            return;
        }
        MockUpstream server = start(cfg);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mock-upstream-shutdown"));
        System.out.println("mock-upstream listening on " + server.baseUrl());
        System.out.flush();
        server.channel.closeFuture().awaitUninterruptibly();
    }
}
