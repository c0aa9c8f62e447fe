// Why: which requests the lane takes decides which code serves a call; table-driven so each rule has its case.
package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LaneCallsTest {
    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("POST", "/v1/chat/completions", null, null, ModelCall.OPENAI_CHAT),
                Arguments.of("POST", "/v1/completions", null, null, ModelCall.OPENAI_COMPLETIONS),
                Arguments.of("POST", "/v1/embeddings", null, null, ModelCall.OPENAI_EMBEDDINGS),
                Arguments.of("POST", "/api/chat", null, null, ModelCall.OLLAMA_CHAT),
                Arguments.of("POST", "/api/generate", null, null, ModelCall.OLLAMA_GENERATE),
                Arguments.of("POST", "/api/embed", null, null, ModelCall.OLLAMA_EMBED),
                Arguments.of("POST", "/api/embeddings", null, null, ModelCall.OLLAMA_EMBEDDINGS),
                Arguments.of("POST", "/v1/chat/completions?x=1", null, null, ModelCall.OPENAI_CHAT),
                Arguments.of("POST", "/v1/chat/completions", null, "100-continue", ModelCall.OPENAI_CHAT),
                Arguments.of("POST", "/api/chat", "identity", null, ModelCall.OLLAMA_CHAT),
                // left to the router
                Arguments.of("GET", "/v1/chat/completions", null, null, null),
                Arguments.of("HEAD", "/api/chat", null, null, null),
                Arguments.of("POST", "/v1/chat/completions/", null, null, null),
                Arguments.of("POST", "/api/show", null, null, null),
                Arguments.of("POST", "/api/pull", null, null, null),
                Arguments.of("POST", "/v1/models", null, null, null),
                Arguments.of("POST", "/api/chat", "gzip", null, null),
                Arguments.of("POST", "/api/chat", null, "something-else", null));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void takesOnlyModelCallPosts(String method, String uri, String encoding, String expect, ModelCall taken) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        if (encoding != null) {
            request.headers().set("Content-Encoding", encoding);
        }
        if (expect != null) {
            request.headers().set("Expect", expect);
        }
        assertThat(LaneCalls.laneCallOf(request)).isEqualTo(taken);
    }
}
