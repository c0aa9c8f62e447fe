// Why: the decoders are the only reading of what upstreams report; each must find the same usage in every
// recorded body however the network cuts it into chunks (anywhere, byte by byte), whatever the line ends.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UsageDecodersTest {

    /** Fixture, the format of its path and content type, and the usage it reports (null: none). */
    static Stream<Arguments> fixtures() {
        return Stream.of(
                arguments("docs/ollama-generate-stream.ndjson", UsageFormat.OLLAMA_NDJSON, new Usage(26, 259)),
                arguments("docs/ollama-chat-stream.ndjson", UsageFormat.OLLAMA_NDJSON, new Usage(26, 282)),
                arguments("docs/ollama-generate.json", UsageFormat.OLLAMA_JSON, new Usage(26, 290)),
                arguments("docs/ollama-generate-json-mode.json", UsageFormat.OLLAMA_JSON, new Usage(36, 180)),
                arguments("docs/ollama-chat-tools.json", UsageFormat.OLLAMA_JSON, new Usage(122, 33)),
                arguments("docs/ollama-chat-load.json", UsageFormat.OLLAMA_JSON, null),
                arguments("docs/ollama-embed.json", UsageFormat.OLLAMA_JSON, new Usage(8, 0)),
                arguments("docs/ollama-embed-multiple.json", UsageFormat.OLLAMA_JSON, null),
                arguments("docs/ollama-embeddings-legacy.json", UsageFormat.OLLAMA_JSON, null),
                arguments("docs/openai-chat-stream.sse", UsageFormat.OPENAI_SSE, null),
                arguments("docs/openai-chat-stream-usage.sse", UsageFormat.OPENAI_SSE, new Usage(19, 10)),
                arguments("docs/openai-chat-stream-multiline.sse", UsageFormat.OPENAI_SSE, new Usage(19, 10)),
                arguments("docs/openai-chat.json", UsageFormat.OPENAI_JSON, new Usage(19, 10)),
                arguments("docs/openai-completion.json", UsageFormat.OPENAI_JSON, new Usage(5, 7)),
                arguments("docs/openai-embeddings.json", UsageFormat.OPENAI_JSON, new Usage(8, 0)),
                arguments("mock/ollama-chat-stream.ndjson", UsageFormat.OLLAMA_NDJSON, new Usage(5, 5)),
                arguments("mock/ollama-generate-stream.ndjson", UsageFormat.OLLAMA_NDJSON, new Usage(5, 5)),
                arguments("mock/ollama-chat.json", UsageFormat.OLLAMA_JSON, new Usage(5, 5)),
                arguments("mock/ollama-generate.json", UsageFormat.OLLAMA_JSON, new Usage(5, 5)),
                arguments("mock/ollama-embed.json", UsageFormat.OLLAMA_JSON, new Usage(10, 0)),
                arguments("mock/ollama-embeddings-legacy.json", UsageFormat.OLLAMA_JSON, null),
                arguments("mock/openai-chat-stream.sse", UsageFormat.OPENAI_SSE, null),
                arguments("mock/openai-chat-stream-usage.sse", UsageFormat.OPENAI_SSE, new Usage(5, 5)),
                arguments("mock/openai-completion-stream-usage.sse", UsageFormat.OPENAI_SSE, new Usage(5, 5)),
                arguments("mock/openai-chat.json", UsageFormat.OPENAI_JSON, new Usage(5, 5)),
                arguments("mock/openai-completion.json", UsageFormat.OPENAI_JSON, new Usage(5, 5)),
                arguments("mock/openai-embeddings.json", UsageFormat.OPENAI_JSON, new Usage(10, 0)));
    }

    /** The stream fixtures with other line ends: CRLF for both, and bare CR, which SSE allows. */
    static Stream<Arguments> otherLineEnds() {
        return fixtures().flatMap(a -> {
            String name = (String) a.get()[0];
            if (name.endsWith(".ndjson")) {
                return Stream.of(arguments(name, "\r\n", a.get()[1], a.get()[2]));
            }
            if (name.endsWith(".sse")) {
                return Stream.of(arguments(name, "\r\n", a.get()[1], a.get()[2]),
                        arguments(name, "\r", a.get()[1], a.get()[2]));
            }
            return Stream.empty();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsTheWholeBody(String fixture, UsageFormat format, Usage expected) {
        assertThat(Fixtures.decode(format.decoder(false), Fixtures.cut(Fixtures.load(fixture)))).isEqualTo(expected);
        assertThat(Fixtures.decode(format.decoder(true), Fixtures.cut(Fixtures.load(fixture)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsTheBodyCutInTwoAtEveryByte(String fixture, UsageFormat format, Usage expected) {
        assertEveryCutInTwo(Fixtures.load(fixture), format, expected);
    }

    private static void assertEveryCutInTwo(byte[] body, UsageFormat format, Usage expected) {
        for (int at = 0; at <= body.length; at++) {
            assertThat(Fixtures.decode(format.decoder(false), Fixtures.cut(body, at))).as("cut at %d", at)
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsTheBodyByteByByteAndCutAtRandom(String fixture, UsageFormat format, Usage expected) {
        byte[] body = Fixtures.load(fixture);
        int[] everyByte = IntStream.range(1, body.length).toArray();
        assertThat(Fixtures.decode(format.decoder(false), Fixtures.cut(body, everyByte))).isEqualTo(expected);
        SplittableRandom random = new SplittableRandom(fixture.hashCode());
        for (int round = 0; round < 300; round++) {
            List<io.netty.buffer.ByteBuf> chunks = Fixtures.randomCut(body, 2 + random.nextInt(12), random);
            assertThat(Fixtures.decode(format.decoder(true), chunks)).as("round %d", round).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("otherLineEnds")
    void readsStreamsWithOtherLineEnds(String fixture, String lineEnd, UsageFormat format, Usage expected) {
        assertEveryCutInTwo(Fixtures.lineEnds(Fixtures.load(fixture), lineEnd), format, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reportsNothingForATruncatedBody(String fixture, UsageFormat format, Usage expected) {
        byte[] body = Fixtures.load(fixture);
        String text = Fixtures.text(body);
        int reportStart = Math.max(Math.max(text.lastIndexOf("\"usage\""), text.lastIndexOf("\"eval_count\"")),
                text.lastIndexOf("\"prompt_eval_count\""));
        if (expected == null || reportStart < 0) {
            return;
        }
        byte[] truncated = java.util.Arrays.copyOf(body, Fixtures.bytes(text.substring(0, reportStart)).length);
        UsageDecoder decoder = format.decoder(false);
        Fixtures.cut(truncated).forEach(chunk -> {
            decoder.feed(chunk);
            chunk.release();
        });
        assertThat(decoder.usage()).as("before the end").isNull();
    }
}
