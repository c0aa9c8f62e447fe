// Why: the inspector is the gateway's only look into request bodies; it must accept every valid request and
// refuse malformed ones with a 400 that says what is wrong.
package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestInspectorTest {

    private static RequestInspector.Inspected inspect(String json) {
        return RequestInspector.inspect(json.getBytes(StandardCharsets.UTF_8), true);
    }

    @Test
    void readsModelAndStreamFlagAndSkipsTheRest() {
        RequestInspector.Inspected i = inspect("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"options\":{\"num_predict\":3},"
                + "\"model\":\"llama3.2\",\"stream\":false,\"tools\":[{\"a\":[1,2,{\"b\":null}]}]}");
        assertThat(i.model()).isEqualTo("llama3.2");
        assertThat(i.stream()).isFalse();
        assertThat(inspect("{\"model\":\"m\"}").stream()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",|Request body is not valid JSON",
            "[1,2]|Request body must be a JSON object.",
            "{\"model\":42}|'model' must be a string.",
            "{\"model\":\"m\",\"stream\":\"yes\"}|'stream' must be a boolean.",
            "{\"model\":\"m\",\"messages\":{}}|'messages' must be an array.",
            "{\"model\":\"m\",\"max_tokens\":\"ten\"}|'max_tokens' must be an integer.",
            "{\"model\":\"m\",\"max_tokens\":-1}|'max_tokens' must not be negative.",
            "{\"model\":\"m\",\"options\":{\"num_predict\":\"all\"}}|'options.num_predict' must be an integer.",
            "{\"model\":\"m\",\"options\":[]}|'options' must be an object.",
            "{\"messages\":[]}|'model' is required.",
            "{\"model\":\"m\"} trailing|Request body is not valid JSON",
    })
    void refusesMalformedBodies(String body, String message) {
        assertThatThrownBy(() -> inspect(body))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "{\"model\":\"m\",\"max_tokens\":12}|12",
            "{\"model\":\"m\",\"max_completion_tokens\":13}|13",
            "{\"model\":\"m\",\"max_tokens\":null}|none",
            "{\"model\":\"m\",\"options\":{\"temperature\":0.1,\"num_predict\":14}}|14",
            "{\"model\":\"m\",\"options\":{\"num_predict\":-1}}|none",
            "{\"model\":\"m\",\"options\":{\"num_predict\":-2}}|none",
            "{\"model\":\"m\"}|none",
    })
    void readsTheOutputCapOfEitherDialect(String body, Long cap) {
        assertThat(inspect(body).maxOutput()).isEqualTo(cap);
    }

    @Test
    void collectsThePromptTextFromTheFieldsTheModelReads() {
        RequestInspector.Inspected chat = inspect("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello there\"}]}],\"user\":\"not-prompt\"}");
        assertThat(chat.promptText().toString()).contains("be brief").contains("hello there").doesNotContain("not-prompt");
        assertThat(chat.messages()).isEqualTo(2);

        RequestInspector.Inspected generate = inspect("{\"model\":\"m\",\"prompt\":\"why is the sky blue\",\"system\":\"physicist\"}");
        assertThat(generate.promptText().toString()).isEqualTo("why is the sky blue physicist");
        assertThat(generate.messages()).isZero();

        RequestInspector.Inspected ids = inspect("{\"model\":\"m\",\"prompt\":[101,102,103],\"input\":[[1,2],[3]]}");
        assertThat(ids.promptTokenIds()).isEqualTo(6);
        assertThat(ids.promptText().toString()).isEmpty();
    }

    @Test
    void refusesAnEmptyBody() {
        assertThatThrownBy(() -> RequestInspector.inspect(new byte[0], true)).hasMessageContaining("empty");
    }
}
