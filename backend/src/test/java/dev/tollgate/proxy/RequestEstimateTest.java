// Why: what a request reserves decides whether it is admitted; the estimate must cover prompt and capped output
// in both dialects, reserve no output for embeddings, and fall back to the configured default cap.
package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.usage.TokenEstimator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestEstimateTest {
    private static final TokenEstimator ESTIMATOR = new TokenEstimator();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestEstimate estimate(String body, ModelCall call) {
        return RequestEstimate.of(RequestInspector.inspect(body.getBytes(StandardCharsets.UTF_8), true), call, 4096, ESTIMATOR);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            // call | body | output reserved | cap given
            "OPENAI_CHAT|{\"model\":\"m\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}|50|true",
            "OPENAI_CHAT|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}|4096|false",
            "OLLAMA_CHAT|{\"model\":\"m\",\"options\":{\"num_predict\":9},\"messages\":[]}|9|true",
            "OLLAMA_GENERATE|{\"model\":\"m\",\"prompt\":\"hello\"}|4096|false",
            "OLLAMA_EMBED|{\"model\":\"m\",\"input\":\"hello\"}|0|false",
            "OPENAI_EMBEDDINGS|{\"model\":\"m\",\"input\":[\"hello\",\"world\"]}|0|false",
    })
    void reservesThePromptAndTheMostOutputTheRequestMayProduce(ModelCall call, String body, long output, boolean capGiven) {
        RequestEstimate e = estimate(body, call);
        assertThat(e.outputTokens()).isEqualTo(output);
        assertThat(e.outputCapGiven()).isEqualTo(capGiven);
        assertThat(e.total()).isEqualTo(e.promptTokens() + output);
    }

    @Test
    void countsPromptTokensWithTheTokenizerPlusPerMessageOverhead() {
        // cl100k_base: "user" = 1 token, "Hello world" = 2 tokens ("user Hello world" = 3)
        RequestEstimate e = estimate("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello world\"}]}", ModelCall.OPENAI_CHAT);
        assertThat(e.promptTokens()).isEqualTo(ESTIMATOR.count("user Hello world") + RequestEstimate.TOKENS_PER_MESSAGE);
        assertThat(ESTIMATOR.count("user Hello world")).isEqualTo(3);
    }

    @Test
    void aVeryLongPromptIsExtrapolatedNotUnderestimated() {
        String chunk = "The quick brown fox jumps over the lazy dog. ";
        String text = chunk.repeat(20_000); // 900k characters
        long exactHead = ESTIMATOR.count(text.substring(0, 64 * 1024));
        long estimate = ESTIMATOR.count(text);
        assertThat(estimate).isGreaterThanOrEqualTo(exactHead * (text.length() / (64 * 1024)));
        assertThat(estimate).isBetween(20_000L * 10 * 95 / 100, 20_000L * 10 * 105 / 100);
    }

    @Test
    void theOutputCapIsWrittenInEachDialectsField() throws Exception {
        byte[] openai = OutputCap.apply(JSON, "{\"model\":\"m\",\"stream\":true,\"messages\":[]}".getBytes(StandardCharsets.UTF_8),
                ModelCall.OPENAI_CHAT, 77);
        JsonNode o = JSON.readTree(openai);
        assertThat(o.path("max_tokens").asLong()).isEqualTo(77);
        assertThat(o.path("stream").asBoolean()).isTrue();

        byte[] ollama = OutputCap.apply(JSON, "{\"model\":\"m\",\"options\":{\"temperature\":0.2}}".getBytes(StandardCharsets.UTF_8),
                ModelCall.OLLAMA_GENERATE, 78);
        JsonNode l = JSON.readTree(ollama);
        assertThat(l.path("options").path("num_predict").asLong()).isEqualTo(78);
        assertThat(l.path("options").path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(JSON.readTree(OutputCap.apply(JSON, "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8),
                ModelCall.OLLAMA_CHAT, 5)).path("options").path("num_predict").asLong()).isEqualTo(5);
    }
}
