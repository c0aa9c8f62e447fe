// Why: the gateway rewrites the client's request body to get usage from every stream; the rewrite must change
// nothing else, keep the client's own stream_options, know whether the client asked, and turn bad input into
// a 400, never a 500.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.ProxyException;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IncludeUsageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static IncludeUsage force(String body) {
        return IncludeUsage.force(Fixtures.bytes(body));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"model\":\"m\",\"stream\":true}|{\"stream_options\":{\"include_usage\":true},\"model\":\"m\",\"stream\":true}",
            "{}|{\"stream_options\":{\"include_usage\":true}}",
            "` { \"stream\" : true } `|` {\"stream_options\":{\"include_usage\":true}, \"stream\" : true } `",
            "{\"stream\":true,\"stream_options\":null}|{\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
            "{\"stream_options\":{},\"stream\":true}|{\"stream_options\":{\"include_usage\":true},\"stream\":true}",
            "{\"stream_options\":{\"include_obfuscation\":false}}|{\"stream_options\":{\"include_usage\":true,\"include_obfuscation\":false}}",
            "{\"stream_options\":{\"include_usage\":false,\"x\":[1]}}|{\"stream_options\":{\"include_usage\":true,\"x\":[1]}}",
            "{\"stream_options\": {\"include_usage\" : null } }|{\"stream_options\": {\"include_usage\" : true } }",
    })
    void forcesIncludeUsageEditingOnlyWhatItMust(String body, String expected) {
        IncludeUsage forced = force(body);
        assertThat(Fixtures.text(forced.body())).isEqualTo(expected);
        assertThat(forced.clientAsked()).isFalse();
    }

    @Test
    void leavesABodyThatAskedAloneAndSaysSo() {
        byte[] body = Fixtures.bytes("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        IncludeUsage forced = IncludeUsage.force(body);
        assertThat(forced.clientAsked()).isTrue();
        assertThat(forced.body()).isSameAs(body);
    }

    @Test
    void keepsEveryOtherMemberOfARealRequest() throws IOException {
        String body = "{\n  \"model\": \"gpt-4o-mini\",\n  \"messages\": [{\"role\": \"user\", \"content\": \"h\\u00e9llo \\\"x\\\" \u2603\"}],\n"
                + "  \"stream\": true,\n  \"stream_options\": {\"include_obfuscation\": false},\n  \"max_tokens\": 5\n}";
        IncludeUsage forced = force(body);
        ObjectNode before = (ObjectNode) JSON.readTree(body);
        ObjectNode after = (ObjectNode) JSON.readTree(forced.body());
        assertThat(after.get("stream_options")).isEqualTo(JSON.readTree("{\"include_usage\":true,\"include_obfuscation\":false}"));
        before.remove("stream_options");
        after.remove("stream_options");
        assertThat((JsonNode) after).isEqualTo(before);
        assertThat(Fixtures.text(forced.body()).replace("\"include_usage\":true,", "")).isEqualTo(body);
    }

    @Test
    void takesTheLastDuplicateAsTheClientsChoiceAndForcesEveryOne() {
        IncludeUsage forced = force("{\"stream_options\":{\"include_usage\":true},\"stream_options\":{\"include_usage\":false}}");
        assertThat(forced.clientAsked()).isFalse();
        assertThat(Fixtures.text(forced.body()))
                .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"stream_options\":{\"include_usage\":true}}");
        assertThat(force("{\"stream_options\":null,\"stream_options\":{\"include_usage\":true}}").clientAsked()).isTrue();
    }

    @Test
    void keepsAByteOrderMarkInPlace() {
        String bom = "\uFEFF";
        assertThat(Fixtures.text(force(bom + "{\"model\":\"m\"}").body()))
                .isEqualTo(bom + "{\"stream_options\":{\"include_usage\":true},\"model\":\"m\"}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"stream_options\":\"yes\"}|'stream_options' must be an object.",
            "{\"stream_options\":[]}|'stream_options' must be an object.",
            "{\"stream_options\":{\"include_usage\":1}}|'stream_options.include_usage' must be a boolean.",
            "{\"stream_options\":{\"include_usage\":{}}}|'stream_options.include_usage' must be a boolean.",
            "[1]|Request body must be a JSON object.",
            "{\"model\":|Request body is not valid JSON.",
            "{\"a\":1} {}|Request body is not valid JSON.",
    })
    void refusesBadBodiesWith400(String body, String message) {
        assertThatThrownBy(() -> force(body))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(message);
    }
}
