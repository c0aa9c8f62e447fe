// Verifies the OpenAI-compatible /v1/* endpoints match Ollama's compatibility layer, incl. include_usage.
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiRoutesTest extends MockTestSupport {
    private static final String CHAT = "{\"model\":\"llama3.2:latest\",\"messages\":["
            + "{\"role\":\"system\",\"content\":\"you are terse\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello world\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]}]";

    @Test
    void chatNonStreaming() {
        HttpResponse<String> r = post("/v1/chat/completions", CHAT + ",\"max_tokens\":2}");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode b = json(r);
        assertTrue(b.get("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", b.get("object").asText());
        assertTrue(b.get("created").asLong() > 1_600_000_000L);
        assertEquals("llama3.2:latest", b.get("model").asText());
        assertEquals("fp_ollama", b.get("system_fingerprint").asText());
        JsonNode c = b.get("choices").get(0);
        assertEquals(0, c.get("index").asInt());
        assertEquals("assistant", c.get("message").get("role").asText());
        assertEquals("tok0 tok1 ", c.get("message").get("content").asText());
        assertEquals("stop", c.get("finish_reason").asText());
        JsonNode u = b.get("usage");
        assertEquals(5, u.get("prompt_tokens").asInt());
        assertEquals(2, u.get("completion_tokens").asInt());
        assertEquals(7, u.get("total_tokens").asInt());
    }

    @Test
    void maxCompletionTokensWins() {
        JsonNode b = json(post("/v1/chat/completions", CHAT + ",\"max_completion_tokens\":1,\"max_tokens\":9}"));
        assertEquals(1, b.get("usage").get("completion_tokens").asInt());
    }

    @Test
    void chatStreamingWithoutUsage() {
        HttpResponse<String> r = post("/v1/chat/completions", CHAT + ",\"stream\":true}");
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
        List<String> events = sse(r.body());
        assertEquals(5 + 1 + 1, events.size());
        String id = json(events.get(0)).get("id").asText();
        for (int i = 0; i < 5; i++) {
            JsonNode e = json(events.get(i));
            assertEquals(id, e.get("id").asText());
            assertEquals("chat.completion.chunk", e.get("object").asText());
            JsonNode c = e.get("choices").get(0);
            assertEquals("assistant", c.get("delta").get("role").asText());
            assertEquals("tok" + i + " ", c.get("delta").get("content").asText());
            assertTrue(c.get("finish_reason").isNull());
        }
        JsonNode stop = json(events.get(5)).get("choices").get(0);
        assertEquals("stop", stop.get("finish_reason").asText());
        assertEquals("", stop.get("delta").get("content").asText());
        assertEquals("[DONE]", events.get(6));
        assertTrue(events.stream().noneMatch(e -> e.contains("\"usage\"")));
    }

    @Test
    void chatStreamingWithUsage() {
        List<String> events = sse(post("/v1/chat/completions",
                CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":3}").body());
        assertEquals(3 + 1 + 1 + 1, events.size());
        assertEquals("stop", json(events.get(3)).get("choices").get(0).get("finish_reason").asText());
        JsonNode usage = json(events.get(4));
        assertEquals(0, usage.get("choices").size());
        assertEquals(5, usage.get("usage").get("prompt_tokens").asInt());
        assertEquals(3, usage.get("usage").get("completion_tokens").asInt());
        assertEquals(8, usage.get("usage").get("total_tokens").asInt());
        assertEquals("[DONE]", events.get(5));
        MockStats s = mock.stats();
        assertEquals(1, s.streamsStarted());
        assertEquals(1, s.streamsCompleted());
    }

    @Test
    void completions() {
        JsonNode b = json(post("/v1/completions", "{\"model\":\"qwen2.5:0.5b\",\"prompt\":[\"a b\",\"c\"]}"));
        assertEquals("text_completion", b.get("object").asText());
        assertTrue(b.get("id").asText().startsWith("cmpl-"));
        JsonNode c = b.get("choices").get(0);
        assertEquals("tok0 tok1 tok2 tok3 tok4 ", c.get("text").asText());
        assertEquals(0, c.get("index").asInt());
        assertEquals("stop", c.get("finish_reason").asText());
        assertEquals(3, b.get("usage").get("prompt_tokens").asInt());

        List<String> events = sse(post("/v1/completions", "{\"model\":\"qwen2.5:0.5b\",\"prompt\":\"a b c d\","
                + "\"stream\":true,\"max_tokens\":2,\"stream_options\":{\"include_usage\":true}}").body());
        assertEquals(2 + 1 + 1 + 1, events.size());
        assertEquals("tok1 ", json(events.get(1)).get("choices").get(0).get("text").asText());
        assertEquals("text_completion", json(events.get(1)).get("object").asText());
        assertEquals("stop", json(events.get(2)).get("choices").get(0).get("finish_reason").asText());
        assertEquals(6, json(events.get(3)).get("usage").get("total_tokens").asInt());
        assertEquals("[DONE]", events.get(4));
    }

    @Test
    void embeddings() {
        JsonNode b = json(post("/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":[\"a b\",\"c\"]}"));
        assertEquals("list", b.get("object").asText());
        assertEquals(2, b.get("data").size());
        JsonNode d1 = b.get("data").get(1);
        assertEquals("embedding", d1.get("object").asText());
        assertEquals(1, d1.get("index").asInt());
        assertEquals(8, d1.get("embedding").size());
        assertEquals("nomic-embed-text", b.get("model").asText());
        assertEquals(3, b.get("usage").get("prompt_tokens").asInt());
        assertEquals(3, b.get("usage").get("total_tokens").asInt());
        assertEquals(1, json(post("/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":\"x\"}"))
                .get("data").size());
    }

    @Test
    void models() {
        JsonNode list = json(get("/v1/models"));
        assertEquals("list", list.get("object").asText());
        assertEquals(8, list.get("data").size());
        JsonNode m = list.get("data").get(0);
        assertEquals("llama3.2:latest", m.get("id").asText());
        assertEquals("model", m.get("object").asText());
        assertEquals("library", m.get("owned_by").asText());
        assertTrue(m.get("created").asLong() > 0);

        JsonNode one = json(get("/v1/models/qwen2.5:0.5b"));
        assertEquals("qwen2.5:0.5b", one.get("id").asText());
        HttpResponse<String> missing = get("/v1/models/nope");
        assertEquals(404, missing.statusCode());
        assertEquals("api_error", json(missing).get("error").get("type").asText());
    }

    @Test
    void errors() {
        HttpResponse<String> unknown = post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}");
        assertEquals(404, unknown.statusCode());
        JsonNode err = json(unknown).get("error");
        assertEquals("model \"nope\" not found, try pulling it first", err.get("message").asText());
        assertEquals("api_error", err.get("type").asText());
        assertTrue(err.get("param").isNull());
        assertTrue(err.get("code").isNull());

        for (String path : List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings")) {
            HttpResponse<String> fail = post(path,
                    "{\"model\":\"mock-fail:latest\",\"stream\":true,\"prompt\":\"x\",\"input\":\"x\",\"messages\":[]}");
            assertEquals(500, fail.statusCode(), path);
            assertEquals("mock failure", json(fail).get("error").get("message").asText(), path);
        }

        HttpResponse<String> bad = post("/v1/chat/completions", "[oops");
        assertEquals(400, bad.statusCode());
        assertEquals("invalid_request_error", json(bad).get("error").get("type").asText());
        assertTrue(json(bad).get("error").get("message").asText().startsWith("invalid character"), bad.body());
        assertEquals(404, get("/v1/nothing").statusCode());
    }
}
