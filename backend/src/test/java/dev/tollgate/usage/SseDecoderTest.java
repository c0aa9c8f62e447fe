// Why: the SSE decoder both reads usage and tells the tap exactly which bytes form the usage-only event; these
// cases pin down the SSE grammar it follows and which events it may strip.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
    private static final String CONTENT = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    private static SseDecoder feed(SseDecoder decoder, String text) {
        ByteBuf buf = Unpooled.wrappedBuffer(Fixtures.bytes(text));
        decoder.feed(buf);
        buf.release();
        return decoder;
    }

    @Test
    void marksTheUsageOnlyEventAsACut() {
        SseDecoder decoder = feed(new SseDecoder(true, 1024), CONTENT + USAGE + DONE);
        assertThat(decoder.usage()).isEqualTo(new Usage(3, 4));
        assertThat(decoder.cutCount()).isEqualTo(1);
        assertThat(decoder.cutStart(0)).isEqualTo(CONTENT.length());
        assertThat(decoder.cutEnd(0)).isEqualTo(CONTENT.length() + USAGE.length());
        assertThat(decoder.holdFrom()).isEqualTo(decoder.position());
    }

    @Test
    void keepsEventsThatAlsoCarryChoicesAndCutsNothingWhenNotStripping() {
        String both = "data: {\"choices\":[{\"delta\":{}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}\n\n";
        SseDecoder decoder = feed(new SseDecoder(true, 1024), both);
        assertThat(decoder.usage()).isEqualTo(new Usage(1, 2));
        assertThat(decoder.cutCount()).isZero();
        SseDecoder keeping = feed(new SseDecoder(false, 1024), USAGE);
        assertThat(keeping.usage()).isEqualTo(new Usage(3, 4));
        assertThat(keeping.cutCount()).isZero();
    }

    @Test
    void treatsNullOrMissingChoicesAsAUsageOnlyEvent() {
        String nullChoices = "data: {\"choices\":null,\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}\n\n";
        String noChoices = "data:{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6}}\n\n";
        SseDecoder decoder = feed(new SseDecoder(true, 1024), nullChoices + noChoices);
        assertThat(decoder.cutCount()).isEqualTo(2);
        assertThat(decoder.usage()).isEqualTo(new Usage(5, 6));
    }

    @Test
    void holdsBackOnlyTheUnfinishedEvent() {
        SseDecoder decoder = feed(new SseDecoder(true, 1024), CONTENT + "data: {\"choi");
        assertThat(decoder.holdFrom()).isEqualTo(CONTENT.length());
        feed(decoder, "ces\":[]");
        assertThat(decoder.holdFrom()).isEqualTo(CONTENT.length());
        assertThat(new SseDecoder(false, 1024).holdFrom()).isZero();
        SseDecoder notStripping = feed(new SseDecoder(false, 1024), CONTENT + "data: {");
        assertThat(notStripping.holdFrom()).isEqualTo(notStripping.position());
    }

    @Test
    void givesUpOnAnEventLongerThanTheCap() {
        String big = "data: {\"choices\":[],\"pad\":\"" + "x".repeat(200) + "\",\"usage\":{\"prompt_tokens\":1}}\n\n";
        SseDecoder decoder = feed(new SseDecoder(true, 100), big.substring(0, 150));
        assertThat(decoder.holdFrom()).as("nothing held past the cap").isEqualTo(decoder.position());
        feed(decoder, big.substring(150) + USAGE);
        assertThat(decoder.cutCount()).isEqualTo(1);
        assertThat(decoder.cutStart(0)).isEqualTo(big.length());
        assertThat(decoder.usage()).isEqualTo(new Usage(3, 4));
    }

    @Test
    void dispatchesACrEndedEventOnlyOnceItKnowsWhetherALfFollows() {
        SseDecoder decoder = feed(new SseDecoder(true, 1024), USAGE.replace("\n", "\r\n").substring(0, USAGE.length() + 1));
        assertThat(decoder.cutCount()).as("blank line's CR seen, LF not yet").isZero();
        feed(decoder, "\n");
        assertThat(decoder.cutCount()).isEqualTo(1);
        assertThat(decoder.cutEnd(0)).isEqualTo(USAGE.length() + 2);
    }

    @Test
    void readsAnUnterminatedLastEventAtTheEnd() {
        SseDecoder decoder = feed(new SseDecoder(false, 1024), CONTENT + USAGE.trim());
        assertThat(decoder.usage()).isNull();
        decoder.end();
        assertThat(decoder.usage()).isEqualTo(new Usage(3, 4));
    }

    @Test
    void followsTheFieldGrammar() {
        String body = ": comment with \"usage\": {\"prompt_tokens\":9}\n"
                + "datax: {\"usage\":{\"prompt_tokens\":8}}\n"
                + "event: usage\n"
                + "data\n"
                + "data:{\"usage\":\n"
                + "data:  {\"prompt_tokens\":2,\"completion_tokens\":1}}\n\n";
        SseDecoder decoder = feed(new SseDecoder(true, 1024), body);
        assertThat(decoder.usage()).as("an empty first data line joins as a newline").isEqualTo(new Usage(2, 1));
        assertThat(decoder.cutCount()).isEqualTo(1);
        assertThat(decoder.cutStart(0)).isZero();
    }
}
