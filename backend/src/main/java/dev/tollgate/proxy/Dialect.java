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

    public abstract byte[] errorBody(String type, String code, String message);

    /** The JSON string-literal form of {@code s}, without the quotes. */
    public static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    /** The dialect of a request path, for errors raised before a route is chosen. */
    public static Dialect ofPath(String path) {
        return path.startsWith("/api/") ? OLLAMA : OPENAI;
    }
}
