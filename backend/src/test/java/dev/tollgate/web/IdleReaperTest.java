// Why: the idle reaper decides when a client connection is closed. It must close a silent connection after the
// timeout and not before, never close one whose request still waits for its answer (an LLM may take minutes to
// start answering), count an interim 100 Continue as no answer, and be postponed by any traffic.
package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdleReaperTest {
    private static final long TIMEOUT_MS = 1_000;

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleReaper(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), new ConnectionDrain()));
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    private static void request(EmbeddedChannel ch) {
        ch.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/chat"));
        ch.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Test
    void aSilentConnectionClosesAtTheTimeoutAndNotBefore() {
        EmbeddedChannel ch = channel();
        advance(ch, TIMEOUT_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 1);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aRequestWaitingForItsAnswerKeepsItsConnectionOpenThenTheTimeoutRunsFromTheAnswer() {
        EmbeddedChannel ch = channel();
        request(ch);
        for (int i = 0; i < 10; i++) {
            advance(ch, TIMEOUT_MS);
        }
        assertThat(ch.isOpen()).as("ten timeouts without an answer byte").isTrue();
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ch.writeOutbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[]{'x'})));
        advance(ch, 3 * TIMEOUT_MS);
        assertThat(ch.isOpen()).as("a streamed answer still under way").isTrue();
        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        advance(ch, TIMEOUT_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, TIMEOUT_MS);
        assertThat(ch.isOpen()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // what | requests read | status of the first answer written
            "a 100 Continue is not the answer, 1, 100",
            "pipelined requests all need their answers, 2, 200",
    })
    void theConnectionStaysOpenUntilEveryRequestHasItsAnswer(String what, int requests, int firstStatus) {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < requests; i++) {
            request(ch);
        }
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(firstStatus)));
        advance(ch, 5 * TIMEOUT_MS);
        assertThat(ch.isOpen()).as("a request is still unanswered").isTrue();
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        advance(ch, 2 * TIMEOUT_MS);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void trafficPostponesTheClose() {
        EmbeddedChannel ch = channel();
        advance(ch, TIMEOUT_MS / 2);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{'G'})); // bytes of a request not yet complete
        advance(ch, TIMEOUT_MS / 2 + 100);
        assertThat(ch.isOpen()).as("read %d ms ago", TIMEOUT_MS / 2 + 100).isTrue();
        advance(ch, TIMEOUT_MS / 2);
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
