// Why: a reservation is only an upper bound if the answer cannot be longer than what was reserved. When a limited
// caller sends no output cap, the gateway forwards the one it reserved (TOLLGATE_DEFAULT_MAX_TOKENS) in the
// dialect's field, so token limits and budgets hold exactly.
package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

public final class OutputCap {
    private OutputCap() {
    }

    /** The body with {@code cap} as its output limit ({@code max_tokens}, or Ollama's {@code options.num_predict}). */
    public static byte[] apply(ObjectMapper json, byte[] body, ModelCall call, long cap) {
        try {
            ObjectNode root = (ObjectNode) json.readTree(body);
            if (call.dialect() == Dialect.OLLAMA) {
                ObjectNode options = root.get("options") instanceof ObjectNode o ? o : root.putObject("options");
                options.put("num_predict", cap);
            } else {
                root.put("max_tokens", cap);
            }
            return json.writeValueAsBytes(root);
        } catch (IOException | ClassCastException e) {
            // RequestInspector accepted this body as a JSON object, so this cannot happen; never lose the request
            throw ProxyException.badRequest("Request body is not a JSON object.");
        }
    }
}
