// Ollama's native /api/* endpoints: chat, generate, embeddings, and the model listing/metadata routes.
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

final class OllamaRoutes {
    private static final String JSON = OllamaFormat.JSON;
    private static final byte[] VERSION = bytes("{\"version\":\"0.6.8\"}");
    private static final byte[] TAGS = bytes(tags(Models.ALL));
    private static final byte[] MOCK_FAILURE = bytes("{\"error\":\"mock failure\"}");

    private OllamaRoutes() {}

    static void handle(MockHandler h, FullHttpRequest req, String path) {
        boolean get = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
        boolean post = req.method() == HttpMethod.POST;
        switch (path) {
            case "/api/version" -> { if (get) h.respond(HttpResponseStatus.OK, JSON, VERSION); else h.notFound(); }
            case "/api/tags" -> { if (get) h.respond(HttpResponseStatus.OK, JSON, tagsOf(h.config())); else h.notFound(); }
            case "/api/ps" -> { if (get) h.json(HttpResponseStatus.OK, JSON, ps(h.config())); else h.notFound(); }
            case "/api/show" -> { if (post) show(h, req); else h.notFound(); }
            case "/api/chat" -> { if (post) generate(h, req, OllamaFormat.CHAT); else h.notFound(); }
            case "/api/generate" -> { if (post) generate(h, req, OllamaFormat.GENERATE); else h.notFound(); }
            case "/api/embed" -> { if (post) embed(h, req, false); else h.notFound(); }
            case "/api/embeddings" -> { if (post) embed(h, req, true); else h.notFound(); }
            default -> h.notFound();
        }
    }

    static void error(MockHandler h, HttpResponseStatus status, String message) {
        h.json(status, JSON, "{\"error\":" + Json.quote(message) + "}");
    }

    static String notFoundMessage(String model) {
        return "model \"" + model + "\" not found, try pulling it first";
    }

    /** Parses the body or answers 400 the way Ollama does; null means a response was sent. */
    private static JsonNode body(MockHandler h, FullHttpRequest req) {
        try {
            return Json.parse(req.content());
        } catch (Json.BadJson e) {
            error(h, HttpResponseStatus.BAD_REQUEST, e.empty ? "missing request body" : e.getMessage());
            return null;
        }
    }

    /** Resolves the request's model or answers the matching error; null means a response was sent. */
    private static Models.Model model(MockHandler h, String name, String capability) {
        if (name.isEmpty()) {
            error(h, HttpResponseStatus.BAD_REQUEST, "model is required");
            return null;
        }
        Models.Model m = Models.find(h.config(), name);
        if (m == null) {
            error(h, HttpResponseStatus.NOT_FOUND, notFoundMessage(name));
            return null;
        }
        if (m.behavior() == Models.Behavior.FAIL) {
            h.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, JSON, MOCK_FAILURE);
            return null;
        }
        if (m.embedding() && capability != null) {
            error(h, HttpResponseStatus.BAD_REQUEST, Json.quote(name) + " does not support " + capability);
            return null;
        }
        return m;
    }

    private static void generate(MockHandler h, FullHttpRequest req, OllamaFormat format) {
        JsonNode body = body(h, req);
        if (body == null) return;
        String name = Json.text(body, "model");
        Models.Model m = model(h, name, format == OllamaFormat.CHAT ? "chat" : "generate");
        if (m == null) return;
        int prompt = format == OllamaFormat.CHAT
                ? Words.messages(body.get("messages"))
                : Words.count(body.get("prompt")) + Words.count(body.get("system"));
        int numPredict = Json.positiveInt(body.get("options"), "num_predict");
        int out = numPredict > 0 ? numPredict : h.config().tokens();
        boolean stream = Json.bool(body, "stream", true);
        h.startGeneration(new Generation(name, prompt, out, stream, false,
                m.behavior(), null), format);
    }

    private static void embed(MockHandler h, FullHttpRequest req, boolean legacy) {
        JsonNode body = body(h, req);
        if (body == null) return;
        String name = Json.text(body, "model");
        Models.Model m = model(h, name, null);
        if (m == null) return;
        if (m.behavior() == Models.Behavior.SLOW_FAIL) {
            h.dropConnection();
            return;
        }
        StringBuilder sb = new StringBuilder(256);
        if (legacy) {
            Embeddings.vector(sb.append("{\"embedding\":"), Json.text(body, "prompt")).append('}');
        } else {
            JsonNode input = body.get("input");
            sb.append("{\"model\":").append(Json.quote(name)).append(",\"embeddings\":[");
            int n = 0;
            if (input != null && input.isArray()) {
                for (JsonNode e : input) {
                    if (n++ > 0) sb.append(',');
                    Embeddings.vector(sb, e.asText());
                }
            } else if (input != null && input.isTextual()) {
                Embeddings.vector(sb, input.textValue());
            }
            int prompt = Math.max(1, Words.count(input));
            sb.append("],\"total_duration\":").append(1_000_000L + 50_000L * prompt)
                    .append(",\"load_duration\":1000000,\"prompt_eval_count\":").append(prompt).append('}');
        }
        h.json(HttpResponseStatus.OK, JSON, sb);
    }

    private static void show(MockHandler h, FullHttpRequest req) {
        JsonNode body = body(h, req);
        if (body == null) return;
        String name = Json.text(body, "model");
        if (name.isEmpty()) name = Json.text(body, "name");
        Models.Model m = Models.find(h.config(), name);
        if (m == null) {
            error(h, HttpResponseStatus.NOT_FOUND, "model '" + name + "' not found");
            return;
        }
        String arch = m.family().replace("-", "_");
        String modelfile = "# Modelfile generated by \"ollama show\"\nFROM " + m.name() + "\n";
        StringBuilder sb = new StringBuilder(1024).append("{\"license\":\"mock\",\"modelfile\":")
                .append(Json.quote(modelfile))
                .append(",\"parameters\":").append(Json.quote(m.embedding() ? "num_ctx 8192" : "stop \"<|eot_id|>\""))
                .append(",\"template\":").append(Json.quote(m.embedding() ? "{{ .Prompt }}"
                        : "{{ if .System }}{{ .System }}{{ end }}{{ .Prompt }}"))
                .append(",\"details\":").append(m.detailsJson())
                .append(",\"model_info\":{\"general.architecture\":\"").append(arch)
                .append("\",\"general.parameter_count\":").append(m.size() * 2)
                .append(",\"").append(arch).append(".context_length\":").append(m.embedding() ? 2048 : 131072)
                .append(",\"").append(arch).append(".embedding_length\":").append(m.embedding() ? 768 : 3072)
                .append("},\"capabilities\":[\"").append(m.embedding() ? "embedding" : "completion")
                .append("\"],\"modified_at\":\"").append(Models.MODIFIED_AT).append("\"}");
        h.json(HttpResponseStatus.OK, JSON, sb);
    }

    /** The cached listing of the fixed catalog, or one built for a config with an extra model. */
    private static byte[] tagsOf(MockConfig config) {
        return config.extraModel() == null ? TAGS : bytes(tags(Models.all(config)));
    }

    private static String tags(List<Models.Model> models) {
        StringBuilder sb = new StringBuilder(2048).append("{\"models\":[");
        for (Models.Model m : models) {
            if (sb.charAt(sb.length() - 1) != '[') sb.append(',');
            sb.append("{\"name\":\"").append(m.name()).append("\",\"model\":\"").append(m.name())
                    .append("\",\"modified_at\":\"").append(Models.MODIFIED_AT)
                    .append("\",\"size\":").append(m.size())
                    .append(",\"digest\":\"").append(m.digest())
                    .append("\",\"details\":").append(m.detailsJson()).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String ps(MockConfig config) {
        String expires = Instant.now().plus(5, ChronoUnit.MINUTES).toString();
        StringBuilder sb = new StringBuilder(1024).append("{\"models\":[");
        for (Models.Model m : Models.all(config)) {
            if (!m.loaded()) continue;
            if (sb.charAt(sb.length() - 1) != '[') sb.append(',');
            sb.append("{\"name\":\"").append(m.name()).append("\",\"model\":\"").append(m.name())
                    .append("\",\"size\":").append(m.size())
                    .append(",\"digest\":\"").append(m.digest())
                    .append("\",\"details\":").append(m.detailsJson())
                    .append(",\"expires_at\":\"").append(expires)
                    .append("\",\"size_vram\":").append(m.size()).append('}');
        }
        return sb.append("]}").toString();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
