// Why: what one upstream read brings must leave for the client in one flush (one packet, one wake-up of the client),
// and holding a flush must never lose or delay bytes beyond the end of that read. The upstream connection here is the
// real ConnectionHandler and Exchange on an EmbeddedChannel, whose writeInbound is one read: every message, then one
// read-complete; the client connection is an EmbeddedChannel that records what is flushed.
package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.buffer.netty.NettyReadBufferFactory;
import io.micronaut.core.io.buffer.ReadBuffer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

class FlushHoldTest {
    private EmbeddedChannel upstream;
    private EmbeddedChannel client;
    private int flushes;
    /** What the client connection had sent when each chunk was relayed, and when the answer's end was written. */
    private final List<Integer> sentAtRelay = new ArrayList<>();
    private int sentAtEnd = -1;
    private boolean closeOnComplete;

    @BeforeEach
    void connect() throws Exception {
        client = new EmbeddedChannel();
        client.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes++;
                ctx.flush();
            }
        });
        client.pipeline().addLast(FlushHold.handler()); // nearer the tail: sees a flush before the counter does
        ConnectionHandler handler = new ConnectionHandler();
        upstream = new EmbeddedChannel(handler);
        CompletableFuture<UpstreamResponse> head = new CompletableFuture<>();
        handler.begin(new Exchange(head, () -> { }, () -> { }));
        upstream.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        head.get(1, TimeUnit.SECONDS).body().subscribe(new Relay());
    }

    @AfterEach
    void close() {
        upstream.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    /** Relays each chunk to the client as Micronaut does: a write and a flush per chunk, and one for the end. */
    private final class Relay implements Subscriber<ReadBuffer> {
        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ReadBuffer chunk) {
            sentAtRelay.add(client.outboundMessages().size());
            client.writeAndFlush(new DefaultHttpContent(NettyReadBufferFactory.toByteBuf(chunk)));
        }

        @Override
        public void onError(Throwable t) {
            client.close();
        }

        @Override
        public void onComplete() {
            client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            sentAtEnd = client.outboundMessages().size(); // where the gateway's bookkeeping for the answer begins
            if (closeOnComplete) {
                client.close();
            }
        }
    }

    private static HttpContent chunk(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private List<String> sent() {
        List<String> out = new ArrayList<>();
        Object m;
        while ((m = client.readOutbound()) != null) {
            HttpContent content = (HttpContent) m;
            out.add(m instanceof LastHttpContent ? "<end>" : content.content().toString(StandardCharsets.UTF_8));
            content.release();
        }
        return out;
    }

    @Test
    void eventsThatArriveInOneReadLeaveInOneFlushWithTheEndOfTheAnswer() {
        upstream.writeInbound(chunk("data: last token\n\n"), chunk("data: finish\n\n"), chunk("data: [DONE]\n\n"),
                new DefaultLastHttpContent());

        assertThat(flushes).isEqualTo(1);
        assertThat(sentAtRelay).containsExactly(0, 0, 0); // nothing left before the end
        assertThat(sentAtEnd).isEqualTo(4); // the end is flushed at once, before the rest of the read is handled
        assertThat(sent()).containsExactly("data: last token\n\n", "data: finish\n\n", "data: [DONE]\n\n", "<end>");
    }

    @Test
    void eachReadIsFlushedAtItsEndSoNothingWaitsForALaterRead() {
        upstream.writeInbound(chunk("data: a\n\n"));
        assertThat(flushes).isEqualTo(1);
        assertThat(sent()).containsExactly("data: a\n\n");

        upstream.writeInbound(chunk("data: b\n\n"), chunk("data: c\n\n"));
        assertThat(flushes).isEqualTo(2);
        assertThat(sent()).containsExactly("data: b\n\n", "data: c\n\n");
    }

    @Test
    void aClientClosedWithinTheReadGetsWhatWasWrittenBeforeTheClose() {
        closeOnComplete = true;
        upstream.writeInbound(chunk("data: a\n\n"), new DefaultLastHttpContent());

        assertThat(client.isOpen()).isFalse();
        assertThat(sent()).containsExactly("data: a\n\n", "<end>");
    }

    @Test
    void aFlushOutsideAnUpstreamReadIsNotHeld() {
        client.writeAndFlush(chunk("data: a\n\n"));

        assertThat(flushes).isEqualTo(1);
        assertThat(sent()).containsExactly("data: a\n\n");
    }

    @Test
    void anUpstreamThatFailsMidReadStillFlushesWhatItBroughtBeforeTheClientIsClosed() {
        upstream.pipeline().fireChannelRead(chunk("data: a\n\n"));
        upstream.pipeline().fireExceptionCaught(new java.io.IOException("connection reset"));

        assertThat(client.isOpen()).isFalse();
        assertThat(sent()).containsExactly("data: a\n\n");
    }

    @Test
    void aFlushThatEndsAnotherHeldAnswerLosesNoOtherHeldFlush() {
        EmbeddedChannel ended = new EmbeddedChannel(FlushHold.handler());
        EmbeddedChannel last = new EmbeddedChannel(FlushHold.handler());
        EmbeddedChannel trigger = new EmbeddedChannel();
        trigger.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                ctx.flush();
                ended.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT); // e.g. a write listener that ends another answer
            }
        });
        trigger.pipeline().addLast(FlushHold.handler());
        try {
            FlushHold.begin();
            ended.writeAndFlush(chunk("data: a\n\n"));
            trigger.writeAndFlush(chunk("data: b\n\n"));
            last.writeAndFlush(chunk("data: c\n\n"));
            assertThat(last.outboundMessages()).isEmpty();
            FlushHold.end();

            assertThat(ended.outboundMessages()).hasSize(2);
            assertThat(trigger.outboundMessages()).hasSize(1);
            assertThat(last.outboundMessages()).hasSize(1);
        } finally {
            ended.finishAndReleaseAll();
            last.finishAndReleaseAll();
            trigger.finishAndReleaseAll();
        }
    }
}
