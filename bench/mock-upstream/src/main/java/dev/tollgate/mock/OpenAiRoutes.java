// Ollama's OpenAI-compatibility /v1/* endpoints, including its error shapes (errors raised behind the
// compatibility layer come back with type "api_error" whatever the HTTP status, as Ollama does).
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;

final class OpenAiRoutes {
    private static final String JSON = OpenAiFormat.JSON;
    private static final String MODELS_PREFIX = "/v1/models/";
    private static final byte[] MODELS = OllamaRoutes.bytes(models(Models.ALL));

    private OpenAiRoutes() {}

    static void handle(MockHandler h, FullHttpRequest req, String path) {
        boolean get = req.method() == HttpMethod.GET;
        boolean post = req.method() == HttpMethod.POST;
        switch (path) {
            case "/v1/chat/completions" -> { if (post) generate(h, req, OpenAiFormat.CHAT); else h.notFound(); }
            case "/v1/completions" -> { if (post) generate(h, req, OpenAiFormat.COMPLETION); else h.notFound(); }
            case "/v1/embeddings" -> { if (post) embeddings(h, req); else h.notFound(); }
            case "/v1/models" -> { if (get) h.respond(HttpResponseStatus.OK, JSON, modelsOf(h.config())); else h.notFound(); }
            default -> {
                if (get && path.startsWith(MODELS_PREFIX) && path.length() > MODELS_PREFIX.length()) {
                    retrieve(h, QueryStringDecoder.decodeComponent(path.substring(MODELS_PREFIX.length())));
                } else {
                    h.notFound();
                }
            }
        }
    }

    static void error(MockHandler h, HttpResponseStatus status, String type, String message) {
        h.json(status, JSON, "{\"error\":{\"message\":" + Json.quote(message) + ",\"type\":\"" + type
                + "\",\"param\":null,\"code\":null}}");
    }

    private static JsonNode body(MockHandler h, FullHttpRequest req) {
        try {
            return Json.parse(req.content());
        } catch (Json.BadJson e) {
            error(h, HttpResponseStatus.BAD_REQUEST, "invalid_request_error", e.getMessage());
            return null;
        }
    }

    private static Models.Model model(MockHandler h, String name, String capability) {
        if (name.isEmpty()) {
            error(h, HttpResponseStatus.BAD_REQUEST, "api_error", "model is required");
            return null;
        }
        Models.Model m = Models.find(h.config(), name);
        if (m == null) {
            error(h, HttpResponseStatus.NOT_FOUND, "api_error", OllamaRoutes.notFoundMessage(name));
            return null;
        }
        if (m.behavior() == Models.Behavior.FAIL) {
            error(h, HttpResponseStatus.INTERNAL_SERVER_ERROR, "api_error", "mock failure");
            return null;
        }
        if (m.embedding() && capability != null) {
            error(h, HttpResponseStatus.BAD_REQUEST, "api_error", Json.quote(name) + " does not support " + capability);
            return null;
        }
        return m;
    }

    private static void generate(MockHandler h, FullHttpRequest req, OpenAiFormat format) {
        JsonNode body = body(h, req);
        if (body == null) return;
        String name = Json.text(body, "model");
        Models.Model m = model(h, name, format == OpenAiFormat.CHAT ? "chat" : "generate");
        if (m == null) return;
        int prompt = format == OpenAiFormat.CHAT ? Words.messages(body.get("messages")) : Words.count(body.get("prompt"));
        int max = Json.positiveInt(body, "max_completion_tokens");
        if (max == 0) max = Json.positiveInt(body, "max_tokens");
        int out = max > 0 ? max : h.config().tokens();
        boolean stream = Json.bool(body, "stream", false);
        JsonNode opts = body.get("stream_options");
        boolean usage = stream && opts != null && Json.bool(opts, "include_usage", false);
        h.startGeneration(new Generation(name, prompt, out, stream, usage,
                m.behavior(), format.idPrefix()), format);
    }

    private static void embeddings(MockHandler h, FullHttpRequest req) {
        JsonNode body = body(h, req);
        if (body == null) return;
        String name = Json.text(body, "model");
        Models.Model m = model(h, name, null);
        if (m == null) return;
        if (m.behavior() == Models.Behavior.SLOW_FAIL) {
            h.dropConnection();
            return;
        }
        JsonNode input = body.get("input");
        StringBuilder sb = new StringBuilder(512).append("{\"object\":\"list\",\"data\":[");
        if (input != null && input.isArray() && (input.isEmpty() || !input.get(0).isNumber())) {
            int i = 0;
            for (JsonNode e : input) {
                if (i > 0) sb.append(',');
                item(sb, e.isTextual() ? e.textValue() : e.toString(), i++);
            }
        } else if (input != null && !input.isNull()) {
            item(sb, input.isTextual() ? input.textValue() : input.toString(), 0);
        }
        int prompt = Math.max(1, Words.count(input));
        sb.append("],\"model\":").append(Json.quote(name)).append(",\"usage\":{\"prompt_tokens\":").append(prompt)
                .append(",\"total_tokens\":").append(prompt).append("}}");
        h.json(HttpResponseStatus.OK, JSON, sb);
    }

    private static void item(StringBuilder sb, String text, int index) {
        Embeddings.vector(sb.append("{\"object\":\"embedding\",\"embedding\":"), text)
                .append(",\"index\":").append(index).append('}');
    }

    private static void retrieve(MockHandler h, String name) {
        Models.Model m = Models.find(h.config(), name);
        if (m == null) {
            error(h, HttpResponseStatus.NOT_FOUND, "api_error", "model '" + name + "' not found");
            return;
        }
        h.json(HttpResponseStatus.OK, JSON, modelJson(new StringBuilder(128), name));
    }

    private static StringBuilder modelJson(StringBuilder sb, String id) {
        return sb.append("{\"id\":").append(Json.quote(id)).append(",\"object\":\"model\",\"created\":")
                .append(Models.MODIFIED_AT.getEpochSecond()).append(",\"owned_by\":\"library\"}");
    }

    /** The cached listing of the fixed catalog, or one built for a config with an extra model. */
    private static byte[] modelsOf(MockConfig config) {
        return config.extraModel() == null ? MODELS : OllamaRoutes.bytes(models(Models.all(config)));
    }

    private static String models(List<Models.Model> models) {
        StringBuilder sb = new StringBuilder(1024).append("{\"object\":\"list\",\"data\":[");
        for (Models.Model m : models) {
            if (sb.charAt(sb.length() - 1) != '[') sb.append(',');
            modelJson(sb, m.name());
        }
        return sb.append("]}").toString();
    }
}
