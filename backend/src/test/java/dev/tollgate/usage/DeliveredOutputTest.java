// Why: when an answer ends without a usage report (the client left mid-stream, the upstream failed, or the
// server reports nothing), the request log bills what was delivered: streamed output events, or the generated
// text of a one-object answer. Both must come out the same however the network cuts the recorded bodies.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeliveredOutputTest {

    /** Fixture, its format, the output events it carries and its generated text (null for streams). */
    static Stream<Arguments> fixtures() {
        return Stream.of(
                arguments("docs/ollama-generate-stream.ndjson", UsageFormat.OLLAMA_NDJSON, 1, null),
                arguments("mock/ollama-chat-stream.ndjson", UsageFormat.OLLAMA_NDJSON, 5, null),
                arguments("mock/ollama-generate-stream.ndjson", UsageFormat.OLLAMA_NDJSON, 5, null),
                // role chunk, "Hello", the finish chunk; not [DONE]
                arguments("docs/openai-chat-stream.sse", UsageFormat.OPENAI_SSE, 3, null),
                // the usage-only chunk is not output
                arguments("docs/openai-chat-stream-usage.sse", UsageFormat.OPENAI_SSE, 3, null),
                arguments("mock/openai-chat-stream-usage.sse", UsageFormat.OPENAI_SSE, 6, null), // five tokens, the finish
                arguments("docs/openai-chat.json", UsageFormat.OPENAI_JSON, 0, "Hello! How can I assist you today?"),
                arguments("docs/openai-completion.json", UsageFormat.OPENAI_JSON, 0, "\n\nThis is indeed a test"),
                arguments("docs/ollama-generate.json", UsageFormat.OLLAMA_JSON, 0,
                        "The sky is blue because it is the color of the sky."),
                arguments("mock/ollama-chat.json", UsageFormat.OLLAMA_JSON, 0, "tok0 tok1 tok2 tok3 tok4 "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void countsTheDeliveredOutputWhereverTheBodyIsCut(String fixture, UsageFormat format, long events, String text) {
        byte[] body = Fixtures.load(fixture);
        SplittableRandom random = new SplittableRandom(fixture.hashCode());
        for (int round = 0; round < 20; round++) {
            UsageDecoder decoder = format.decoder(round % 2 == 0);
            Fixtures.decode(decoder, Fixtures.randomCut(body, 1 + random.nextInt(Math.min(body.length, 40)), random));
            assertThat(decoder.events()).as("events, round %d", round).isEqualTo(events);
            assertThat(decoder.text()).as("text, round %d", round).isEqualTo(text);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aStreamCutShortHasDeliveredOnlyItsCompleteEvents(String fixture, UsageFormat format, long events, String text) {
        if (text != null) {
            return; // one-object answers are counted only once whole
        }
        byte[] body = Fixtures.load(fixture);
        String all = Fixtures.text(body);
        int secondEvent = all.indexOf(format == UsageFormat.OLLAMA_NDJSON ? "\n" : "\n\n") + 1;
        UsageDecoder decoder = format.decoder(false);
        for (var chunk : Fixtures.cut(java.util.Arrays.copyOf(body, secondEvent + 1), secondEvent)) {
            decoder.feed(chunk);
            chunk.release();
        }
        assertThat(decoder.events()).as("the first event only; the second has not ended").isEqualTo(1);
    }
}
