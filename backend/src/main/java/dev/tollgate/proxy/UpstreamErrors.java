// Why: when an upstream fails, its own message ("model requires more memory") helps the user more than a
// bare status; this extracts it, bounded, from either dialect's error body.
package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

final class UpstreamErrors {
    private static final int MAX = 300;

    private UpstreamErrors() {
    }

    /** {@code ": <upstream message>"}, or empty when the body carries none. */
    static String detail(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0 || body.length > 64 * 1024) {
            return "";
        }
        try {
            JsonNode root = json.readTree(body);
            JsonNode error = root.path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText("");
            if (message.isBlank()) {
                return "";
            }
            return ": " + (message.length() > MAX ? message.substring(0, MAX) + "..." : message);
        } catch (Exception e) {
            return "";
        }
    }
}
