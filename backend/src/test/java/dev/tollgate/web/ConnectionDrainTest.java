// Why: a graceful shutdown must close idle kept-alive connections at once, let an answer under way finish (telling the
// client with "Connection: close") and close its connection right after it, never before, and report when all are
// closed; a connection that does not finish in time is reported, not waited for.
package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionDrainTest {
    private final ConnectionDrain drain = new ConnectionDrain();

    private EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new IdleReaper(TimeUnit.MINUTES.toNanos(5), drain));
        return ch;
    }

    /** A connection with a request read and not answered. */
    private EmbeddedChannel busy() {
        EmbeddedChannel ch = connection();
        request(ch);
        return ch;
    }

    private static void request(EmbeddedChannel ch) {
        ch.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/chat"));
        ch.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Begins the drain, as the shutdown does, and lets the connections' event loop run what it was told. */
    private void begin(EmbeddedChannel... connections) {
        drain.begin();
        for (EmbeddedChannel ch : connections) {
            ch.runPendingTasks();
        }
    }

    private int openAfter(Duration wait) throws InterruptedException {
        return drain.await(Deadline.after(wait));
    }

    /** Writes a whole 200 answer to {@code ch}'s request. */
    private static void answer(EmbeddedChannel ch) {
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    }

    /** The head of the last answer written to {@code ch} (its interim answers included), reading all it wrote. */
    private static HttpResponse lastHead(EmbeddedChannel ch) {
        HttpResponse head = null;
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof HttpResponse r) {
                head = r;
            }
        }
        return head;
    }

    @Test
    void anIdleConnectionClosesAtOnceAndTheDrainEnds() throws Exception {
        EmbeddedChannel idle = connection();
        EmbeddedChannel used = busy();
        answer(used);
        assertThat(drain.open()).isEqualTo(2);

        begin(idle, used);

        assertThat(idle.isOpen()).isFalse();
        assertThat(used.isOpen()).as("answered, so idle too").isFalse();
        assertThat(openAfter(Duration.ZERO)).isZero();
    }

    @Test
    void anAnswerUnderWayFinishesMarkedConnectionCloseThenItsConnectionCloses() throws Exception {
        EmbeddedChannel streaming = connection();
        EmbeddedChannel waiting = connection();
        request(streaming);
        request(waiting);
        streaming.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        streaming.writeOutbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[]{'a'})));

        begin(streaming, waiting);

        assertThat(streaming.isOpen()).isTrue();
        assertThat(waiting.isOpen()).isTrue();
        streaming.writeOutbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[]{'b'})));
        assertThat(streaming.isOpen()).as("a chunk is not the end").isTrue();
        streaming.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(streaming.isOpen()).as("closed after the end of its answer").isFalse();
        assertThat(openAfter(Duration.ZERO)).as("one connection still has its request in flight").isEqualTo(1);

        answer(waiting);
        assertThat(lastHead(waiting).headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        assertThat(waiting.isOpen()).isFalse();
        assertThat(openAfter(Duration.ZERO)).isZero();
    }

    @Test
    void anInterimAnswerDoesNotEndTheRequest() throws Exception {
        EmbeddedChannel ch = busy();
        begin(ch);

        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(ch.isOpen()).isTrue();
        HttpResponse interim = lastHead(ch);
        assertThat(interim.status()).isEqualTo(HttpResponseStatus.CONTINUE);
        assertThat(interim.headers().contains(HttpHeaderNames.CONNECTION)).as("a 100 Continue is left alone").isFalse();
        answer(ch);
        assertThat(lastHead(ch).headers().get(HttpHeaderNames.CONNECTION)).as("the final answer is marked")
                .isEqualToIgnoringCase("close");
        assertThat(ch.isOpen()).isFalse();
        assertThat(openAfter(Duration.ZERO)).isZero();
    }

    @Test
    void aConnectionStillBusyAtTheDeadlineIsReportedNotWaitedFor() throws Exception {
        EmbeddedChannel busy = busy();

        begin(busy);

        long start = System.nanoTime();
        assertThat(openAfter(Duration.ofMillis(200))).isEqualTo(1);
        assertThat(System.nanoTime() - start).as("waited for the deadline").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(busy.isOpen()).isTrue();
    }

    @Test
    void aConnectionOpenedWhileDrainingIsDrainedToo() throws Exception {
        EmbeddedChannel busy = busy();
        begin(busy);

        EmbeddedChannel late = connection();
        late.runPendingTasks();
        assertThat(late.isOpen()).as("accepted just before the listener closed, and idle").isFalse();

        answer(busy);
        assertThat(openAfter(Duration.ZERO)).isZero();
    }

    @Test
    void theWaitEndsWhenTheLastConnectionClosesNotAtTheDeadline() throws Exception {
        EmbeddedChannel busy = busy();
        begin(busy);
        Thread waiter = Thread.currentThread();
        Thread answer = new Thread(() -> {
            while (waiter.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            answer(busy);
        });
        answer.start();

        long start = System.nanoTime();
        assertThat(openAfter(Duration.ofMinutes(5))).isZero();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
        answer.join();
    }
}
