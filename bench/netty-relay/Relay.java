// Why: a second reference proxy for bench/run.sh (BENCH_NETTY=on). nginx shows what a proxy written in C costs on the
// machine; this one shows what the gateway's own platform costs with none of the gateway's work: the JVM, Netty and
// its epoll transport (the jars of the gateway under test), requests decoded by Netty's HTTP codec and answers passed
// through as the upstream's bytes. No authentication, metering, logging or limits, so the difference between the
// gateway's row and this one is the gateway's own handling, and the difference between this row and nginx's is the
// platform's. Not part of the product: started by the benchmark with the Java source launcher,
//   java -cp tollgate.jar bench/netty-relay/Relay.java <port> <upstream port> <event loops>
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpServerCodec;

public final class Relay {
    private Relay() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: Relay <port> <upstream port> <event loops>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Integer.parseInt(args[2]), EpollIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new ClientSide(upstreamPort));
                    }
                }).bind("127.0.0.1", port).sync().channel();
        System.out.println("netty relay listening on 127.0.0.1:" + port);
        server.closeFuture().sync();
    }

    /**
     * One client connection: its requests go, one at a time as the client sends them, over one upstream connection
     * of its own on the same event loop (opened with the first request); the upstream's bytes are written to the
     * client below its HTTP codec, unchanged.
     */
    private static final class ClientSide extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int upstreamPort;
        /** The upstream connection, connected or still connecting; opened with the first request. */
        private ChannelFuture upstream;

        ClientSide(int upstreamPort) {
            this.upstreamPort = upstreamPort;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpRequest forwarded = request.retainedDuplicate();
            forwarded.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + upstreamPort);
            Channel client = ctx.channel();
            if (upstream == null) {
                upstream = new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new HttpRequestEncoder(), new UpstreamSide(client));
                            }
                        })
                        .connect("127.0.0.1", upstreamPort);
            }
            if (upstream.isSuccess()) {
                upstream.channel().writeAndFlush(forwarded);
                return;
            }
            upstream.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    f.channel().writeAndFlush(forwarded);
                } else {
                    forwarded.release();
                    client.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (upstream != null) {
                upstream.channel().close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The upstream connection: what one read brings is written to the client's socket as it is, in one flush. */
    private static final class UpstreamSide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        UpstreamSide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object bytes) {
            client.pipeline().firstContext().write(bytes);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
