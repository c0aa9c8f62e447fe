// Why: the decoder of an answer is chosen from its path and Content-Type as upstreams really send them (with
// parameters, in any case, with stray spaces); a wrong choice loses the answer's usage.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageFormatTest {
    @ParameterizedTest(name = "{0} with [{1}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "/api/chat             | application/x-ndjson              | OLLAMA_NDJSON",
            "/api/generate         | application/json; charset=utf-8   | OLLAMA_JSON",
            "/api/chat             | ' Application/JSON '              | OLLAMA_JSON",
            "/api/chat             | text/event-stream                 | NONE",
            "/api/embeddings       | application/json                  | NONE",
            "/api/embed            | application/json                  | OLLAMA_JSON",
            "/v1/chat/completions  | text/event-stream; charset=utf-8  | OPENAI_SSE",
            "/v1/chat/completions  | TEXT/EVENT-STREAM                 | OPENAI_SSE",
            "/v1/completions       | application/json                  | OPENAI_JSON",
            "/v1/embeddings        | application/json;charset=UTF-8    | OPENAI_JSON",
            "/v1/chat/completions  | application/jsonl                 | NONE",
            "/v1/chat/completions  | application/x-ndjson              | NONE",
            "/v1/chat/completions  | text/plain                        | NONE",
            "/v1/chat/completions  | ''                                | NONE",
            "/v1/chat/completions  | NULL                              | NONE",
            "/other                | application/json                  | NONE",
    })
    void formatFollowsPathAndMediaType(String path, String contentType, UsageFormat expected) {
        assertThat(UsageFormat.of(path, contentType)).isEqualTo(expected);
    }
}
