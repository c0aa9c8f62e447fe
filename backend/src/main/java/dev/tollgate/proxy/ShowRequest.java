// Why: /api/show names its model as "model" (current Ollama) or "name" (older clients).
package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

final class ShowRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShowRequest() {
    }

    static String model(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProxyException.badRequest("Request body is empty; expected {\"model\": \"...\"}.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw ProxyException.badRequest("Request body is not valid JSON.");
        }
        JsonNode model = root.has("model") ? root.get("model") : root.get("name");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ProxyException.badRequest("'model' is required and must be a string.");
        }
        return model.asText();
    }
}
