// Why: a one-object answer can be many megabytes (embeddings) with usage at the very end; the decoder reads
// it chunk by chunk without keeping it, and never throws on what an upstream sends.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JsonDecoderTest {

    @Test
    void readsUsageAtTheEndOfMegabytesOfEmbeddings() {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
            for (int d = 0; d < 768; d++) {
                sb.append(d == 0 ? "" : ",").append((float) random.nextDouble(-1, 1));
            }
            sb.append("]}");
        }
        byte[] body = Fixtures.bytes(sb.append("],\"usage\":{\"prompt_tokens\":4000,\"total_tokens\":4000}}").toString());
        assertThat(body.length).isGreaterThan(16 * 1024 * 1024);
        assertThat(Fixtures.decode(UsageFormat.OPENAI_JSON.decoder(false), Fixtures.randomCut(body, 400, random)))
                .isEqualTo(new Usage(4000, 0));
    }

    @ParameterizedTest
    @EnumSource(Fixtures.Memory.class)
    void readsTheSameFromHeapDirectAndCompositeChunksOfAnySize(Fixtures.Memory memory) {
        StringBuilder content = new StringBuilder();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 6000; i++) {
            content.append("tok").append(random.nextInt(1000)).append(i % 50 == 0 ? "\\n\\u00e9\\\"" : " ");
        }
        byte[] body = Fixtures.bytes("{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"" + content + "\"}}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6000}}");
        assertThat(body.length).isGreaterThan(4 * 8192);
        // pieces from one byte to several times the decoder's copy array, cut inside strings, escapes and names
        for (int pieces : new int[] {1, 3, 40, 2000}) {
            UsageDecoder decoder = JsonDecoder.answer(UsageFields.Dialect.OPENAI);
            assertThat(Fixtures.decode(decoder, Fixtures.in(memory, Fixtures.randomCut(body, pieces, random))))
                    .as("%d pieces", pieces).isEqualTo(new Usage(12, 6000));
            assertThat(decoder.text()).isEqualTo(content.toString().replace("\\n", "\n").replace("\\u00e9", "\u00e9")
                    .replace("\\\"", "\""));
        }
    }

    @Test
    void reportsNothingForNullUsageAndMalformedBodies() {
        assertThat(decode(UsageFormat.OPENAI_JSON, "{\"usage\":null,\"choices\":[]}")).isNull();
        assertThat(decode(UsageFormat.OPENAI_JSON, "{\"usage\":{\"prompt_tokens\":1}")).isNull();
        assertThat(decode(UsageFormat.OPENAI_JSON, "{\"usage\":{\"prompt_tokens\":1}]")).isNull();
        assertThat(decode(UsageFormat.OPENAI_JSON, "[{\"usage\":{\"prompt_tokens\":1}}]")).isNull();
        assertThat(decode(UsageFormat.OLLAMA_JSON, "{\"error\":\"model not found\"}")).isNull();
        assertThat(decode(UsageFormat.OLLAMA_JSON, "<html>502 Bad Gateway</html>")).isNull();
    }

    @Test
    void readsPastAHugeString() {
        String huge = "x".repeat(5_000_000);
        assertThat(decode(UsageFormat.OLLAMA_JSON, "{\"response\":\"" + huge + "\",\"prompt_eval_count\":1}"))
                .isEqualTo(new Usage(1, 0));
    }

    @Test
    void readsOnlyTheTopLevelAndTheLastReport() {
        assertThat(decode(UsageFormat.OPENAI_JSON,
                "{\"meta\":{\"usage\":{\"prompt_tokens\":9}},\"usage\":{\"prompt_tokens\":1,"
                        + "\"details\":{\"prompt_tokens\":7},\"completion_tokens\":2}}")).isEqualTo(new Usage(1, 2));
        assertThat(decode(UsageFormat.OLLAMA_JSON,
                "{\"message\":{\"eval_count\":9},\"eval_count\":3,\"eval_count\":4} trailing"))
                .isEqualTo(new Usage(0, 4));
        assertThat(decode(UsageFormat.OLLAMA_JSON, "{\"prompt_eval_count\":-1,\"eval_count\":\"3\"}")).isNull();
    }

    private static Usage decode(UsageFormat format, String body) {
        return Fixtures.decode(format.decoder(false), Fixtures.cut(Fixtures.bytes(body), 1, 5, 9));
    }
}
