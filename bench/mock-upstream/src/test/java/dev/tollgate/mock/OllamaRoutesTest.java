// Verifies the Ollama-native /api/* endpoints reproduce Ollama's wire format and the token accounting.
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OllamaRoutesTest extends MockTestSupport {

    @Test
    void versionTagsPs() {
        HttpResponse<String> v = get("/api/version");
        assertEquals(200, v.statusCode());
        assertEquals("0.6.8", json(v).get("version").asText());
        assertTrue(v.headers().firstValue("content-type").orElse("").startsWith("application/json"));

        JsonNode models = json(get("/api/tags")).get("models");
        assertEquals(8, models.size());
        JsonNode llama = models.get(0);
        assertEquals("llama3.2:latest", llama.get("name").asText());
        assertEquals("llama3.2:latest", llama.get("model").asText());
        assertTrue(llama.get("size").asLong() > 0);
        assertEquals(64, llama.get("digest").asText().length());
        assertTrue(llama.hasNonNull("modified_at"));
        JsonNode d = llama.get("details");
        assertEquals("gguf", d.get("format").asText());
        assertEquals("llama", d.get("family").asText());
        assertEquals("llama", d.get("families").get(0).asText());
        assertEquals("3.2B", d.get("parameter_size").asText());
        assertEquals("Q4_K_M", d.get("quantization_level").asText());
        assertEquals("", d.get("parent_model").asText());
        List<String> names = models.findValuesAsText("name");
        assertEquals(List.of("llama3.2:latest", "qwen2.5:0.5b", "nomic-embed-text:latest", "mock-fail:latest",
                "mock-slow-fail:latest", "mock-gone:latest", "mock-silent:latest", "mock-stall:latest"), names);

        JsonNode ps = json(get("/api/ps")).get("models");
        assertEquals(2, ps.size());
        assertEquals("llama3.2:latest", ps.get(0).get("name").asText());
        assertEquals("nomic-embed-text:latest", ps.get(1).get("name").asText());
        assertTrue(ps.get(0).get("size_vram").asLong() > 0);
        assertTrue(ps.get(0).hasNonNull("expires_at"));
    }

    @Test
    void showKnownAndUnknown() {
        JsonNode show = json(post("/api/show", "{\"model\":\"llama3.2\"}"));
        for (String f : List.of("modelfile", "parameters", "template", "details", "model_info", "capabilities")) {
            assertTrue(show.has(f), f);
        }
        assertEquals("completion", show.get("capabilities").get(0).asText());
        assertEquals("embedding", json(post("/api/show", "{\"model\":\"nomic-embed-text\"}"))
                .get("capabilities").get(0).asText());
        assertEquals(404, post("/api/show", "{\"model\":\"nope\"}").statusCode());
    }

    @Test
    void chatStreamsTokensThenFinalCounts() {
        mock.config().tokens(4);
        HttpResponse<String> r = post("/api/chat", "{\"model\":\"llama3.2:latest\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"be  brief\"},{\"role\":\"user\",\"content\":\"hello there world\"}]}");
        assertEquals(200, r.statusCode());
        assertEquals("application/x-ndjson", r.headers().firstValue("content-type").orElseThrow());
        List<JsonNode> lines = ndjson(r.body());
        assertEquals(5, lines.size());
        for (int i = 0; i < 4; i++) {
            JsonNode l = lines.get(i);
            assertEquals("llama3.2:latest", l.get("model").asText());
            assertTrue(l.get("created_at").asText().endsWith("Z"));
            assertEquals("assistant", l.get("message").get("role").asText());
            assertEquals("tok" + i + " ", l.get("message").get("content").asText());
            assertFalse(l.get("done").asBoolean());
            assertFalse(l.has("eval_count"));
        }
        JsonNode last = lines.get(4);
        assertTrue(last.get("done").asBoolean());
        assertEquals("stop", last.get("done_reason").asText());
        assertEquals("", last.get("message").get("content").asText());
        assertEquals(5, last.get("prompt_eval_count").asInt());
        assertEquals(4, last.get("eval_count").asInt());
        for (String f : List.of("total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
            assertTrue(last.get(f).asLong() > 0, f);
        }
        MockStats s = mock.stats();
        assertEquals(1, s.requests());
        assertEquals(1, s.streamsStarted());
        assertEquals(1, s.streamsCompleted());
        assertEquals(0, s.inFlight());
    }

    @Test
    void chatNonStreamingHonoursNumPredictAndEchoesModel() {
        HttpResponse<String> r = post("/api/chat", "{\"model\":\"llama3.2\",\"stream\":false,"
                + "\"options\":{\"num_predict\":3},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode b = json(r);
        assertEquals("llama3.2", b.get("model").asText());
        assertEquals("tok0 tok1 tok2 ", b.get("message").get("content").asText());
        assertTrue(b.get("done").asBoolean());
        assertEquals(1, b.get("prompt_eval_count").asInt());
        assertEquals(3, b.get("eval_count").asInt());
        assertEquals(0, mock.stats().streamsStarted());
    }

    @Test
    void generateStreamAndNonStream() {
        List<JsonNode> lines = ndjson(post("/api/generate",
                "{\"model\":\"qwen2.5:0.5b\",\"prompt\":\"one two three\",\"system\":\"four\"}").body());
        assertEquals(6, lines.size());
        assertEquals("tok0 ", lines.get(0).get("response").asText());
        JsonNode last = lines.get(5);
        assertTrue(last.get("done").asBoolean());
        assertEquals("", last.get("response").asText());
        assertEquals(3, last.get("context").size());
        assertEquals(4, last.get("prompt_eval_count").asInt());
        assertEquals(5, last.get("eval_count").asInt());

        JsonNode full = json(post("/api/generate", "{\"model\":\"qwen2.5:0.5b\",\"prompt\":\"x\",\"stream\":false}"));
        assertEquals("tok0 tok1 tok2 tok3 tok4 ", full.get("response").asText());
        assertEquals(1, full.get("prompt_eval_count").asInt());
        assertTrue(full.has("context"));
    }

    @Test
    void emptyPromptStillCountsOneToken() {
        JsonNode b = json(post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"\",\"stream\":false}"));
        assertEquals(1, b.get("prompt_eval_count").asInt());
    }

    @Test
    void embedAndLegacyEmbeddings() {
        JsonNode e = json(post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[\"a b\",\"c d e\"]}"));
        assertEquals("nomic-embed-text", e.get("model").asText());
        assertEquals(2, e.get("embeddings").size());
        assertEquals(8, e.get("embeddings").get(0).size());
        assertEquals(5, e.get("prompt_eval_count").asInt());
        assertTrue(e.has("total_duration") && e.has("load_duration"));

        JsonNode single = json(post("/api/embed", "{\"model\":\"nomic-embed-text:latest\",\"input\":\"a b\"}"));
        assertEquals(1, single.get("embeddings").size());
        assertEquals(e.get("embeddings").get(0), single.get("embeddings").get(0), "deterministic vectors");

        JsonNode legacy = json(post("/api/embeddings", "{\"model\":\"nomic-embed-text\",\"prompt\":\"a b\"}"));
        assertEquals(8, legacy.get("embedding").size());
    }

    @Test
    void errors() {
        HttpResponse<String> unknown = post("/api/chat", "{\"model\":\"nope\",\"messages\":[]}");
        assertEquals(404, unknown.statusCode());
        assertEquals("model \"nope\" not found, try pulling it first", json(unknown).get("error").asText());
        assertEquals(404, post("/api/generate", "{\"model\":\"llama3.2:7b\",\"prompt\":\"x\"}").statusCode());
        // listed in /api/tags, but gone for model calls
        assertEquals(404, post("/api/chat", "{\"model\":\"mock-gone\",\"messages\":[]}").statusCode());

        for (String path : List.of("/api/chat", "/api/generate", "/api/embed", "/api/embeddings")) {
            HttpResponse<String> fail = post(path, "{\"model\":\"mock-fail\",\"prompt\":\"x\",\"input\":\"x\"}");
            assertEquals(500, fail.statusCode(), path);
            assertEquals("mock failure", json(fail).get("error").asText(), path);
        }

        HttpResponse<String> bad = post("/api/chat", "{not json");
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).get("error").asText().startsWith("invalid character"), bad.body());
        assertEquals(400, post("/api/chat", "").statusCode());

        HttpResponse<String> embedChat = post("/api/chat", "{\"model\":\"nomic-embed-text\",\"messages\":[]}");
        assertEquals(400, embedChat.statusCode());

        HttpResponse<String> nf = get("/api/nothing");
        assertEquals(404, nf.statusCode());
        assertEquals("404 page not found", nf.body());
        assertTrue(nf.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertEquals(404, get("/api/chat").statusCode(), "wrong method");
        assertEquals("Ollama is running", get("/").body());
    }
}
