// Why: the last handler of an upstream connection's pipeline: it hands Netty events to the current exchange
// and reads from the socket only when that exchange wants bytes (auto-read is off). What one read brings is relayed
// to the client in one flush (FlushHold).
package dev.tollgate.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

final class ConnectionHandler extends ChannelDuplexHandler {
    private Exchange exchange;

    /** Starts an exchange on this (idle) connection. Called on the connection's event loop. */
    void begin(Exchange next) {
        this.exchange = next;
    }

    void end() {
        this.exchange = null;
    }

    /** The exchange under way on this connection, or {@code null} while it is idle. */
    Exchange current() {
        return exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FlushHold.begin();
        try {
            if (exchange != null) {
                Exchange current = exchange;
                current.onMessage(ctx.channel(), msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FlushHold.end();
        if (exchange != null && exchange.wantsRead()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FlushHold.end();
        fail(new IOException("upstream closed the connection"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FlushHold.end();
        fail(cause);
        ctx.close();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise.unvoid().addListener(f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
                ctx.close();
            }
        }));
    }

    private void fail(Throwable cause) {
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            current.onFailure(cause);
        }
    }

}
