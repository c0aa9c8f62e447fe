// Why: each client API has its own error body; a refusal must look native to the client that receives it.
package dev.tollgate.proxy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

public enum Dialect {
    /** Ollama's native API: {@code {"error": "<message>"}}. */
    OLLAMA {
        @Override
        public byte[] errorBody(String type, String code, String message) {
            return ("{\"error\":\"" + escape(message) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    },
    /** OpenAI's API: {@code {"error": {"message", "type", "param", "code"}}}. */
    OPENAI {
        @Override
        public byte[] errorBody(String type, String code, String message) {
            return ("{\"error\":{\"message\":\"" + escape(message) + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                    + (code == null ? "null" : "\"" + code + "\"") + "}}").getBytes(StandardCharsets.UTF_8);
        }
    };

    /** The dialect's name as the request log stores it: {@code ollama}, {@code openai}. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public abstract byte[] errorBody(String type, String code, String message);

    public String label() {
        return label;
    }

    /** The JSON string-literal form of {@code s}, without the quotes. */
    public static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    /** The dialect of a request path, for errors raised before a route is chosen. */
    public static Dialect ofPath(String path) {
        return path.startsWith("/api/") ? OLLAMA : OPENAI;
    }
}
