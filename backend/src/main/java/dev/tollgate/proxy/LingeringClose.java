// Why: a client refused with 413 is usually still sending its body. Closing the connection with those bytes unread
// makes the kernel answer them with a reset, and a reset that arrives before the client has read the 413 loses it:
// the client sees "connection reset" instead of the error (Node's fetch did, in CI). So the refusal is followed by a
// lingering close, as web servers do it: the gateway ends its side (FIN after the answer), reads and drops whatever
// the client still sends, and closes when the client does or when LINGER has passed.
package dev.tollgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

final class LingeringClose {
    /** How long a refused client may go on sending before the connection is closed regardless. */
    static final long LINGER_MILLIS = 5_000;

    private LingeringClose() {
    }

    /**
     * Call once the answer has been written: shuts the output down and closes after LINGER_MILLIS at the latest. The
     * caller drops what is read meanwhile and keeps asking for reads ({@link #keepReading}).
     */
    static void start(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            ctx.close();
            return;
        }
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        Runnable close = ctx::close;
        var timer = ctx.executor().schedule(close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> timer.cancel(false));
        keepReading(ctx);
    }

    /** Asks for the next read when reads are not automatic, so the client's bytes keep being drained. */
    static void keepReading(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }
}
