// Why: the gateway must know a few fields of each request (model, stream flag) and reject malformed JSON,
// without building an object tree of a possibly large prompt. One pass of Jackson's streaming parser reads
// the top-level fields it needs and skips (but still checks) everything else.
package dev.tollgate.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Pure: bytes in, {@link Inspected} or a 400 out. */
public final class RequestInspector {
    private static final JsonFactory JSON = new JsonFactory();

    private RequestInspector() {
    }

    /** What the gateway needs from a request body. {@code stream} is null when the body does not say. */
    public record Inspected(String model, Boolean stream) {
    }

    public static Inspected inspect(byte[] body, boolean modelRequired) {
        if (body == null || body.length == 0) {
            throw ProxyException.badRequest("Request body is empty; expected a JSON object.");
        }
        String model = null;
        Boolean stream = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProxyException.badRequest("Request body must be a JSON object.");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw ProxyException.badRequest("'model' must be a string.");
                        }
                        model = p.getText();
                    }
                    case "stream" -> {
                        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                            stream = value == JsonToken.VALUE_TRUE;
                        } else if (value != JsonToken.VALUE_NULL) {
                            throw ProxyException.badRequest("'stream' must be a boolean.");
                        }
                    }
                    case "messages" -> expect(value, JsonToken.START_ARRAY, "'messages' must be an array.", p);
                    case "options" -> expect(value, JsonToken.START_OBJECT, "'options' must be an object.", p);
                    case "max_tokens", "max_completion_tokens" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NULL) {
                            throw ProxyException.badRequest("'" + field + "' must be an integer.");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ProxyException.badRequest("Request body is not valid JSON.");
            }
        } catch (IOException e) {
            throw ProxyException.badRequest("Request body is not valid JSON: " + getOriginalMessageOrNull(e));
        }
        if (modelRequired && (model == null || model.isBlank())) {
            throw ProxyException.badRequest("'model' is required.");
        }
        return new Inspected(model, stream);
    }

    private static void expect(JsonToken actual, JsonToken expected, String message, JsonParser p) throws IOException {
        if (actual != expected && actual != JsonToken.VALUE_NULL) {
            throw ProxyException.badRequest(message);
        }
        p.skipChildren();
    }

    private static String getOriginalMessageOrNull(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? "unexpected end of input" : m.lines().findFirst().orElse(m);
    }
}
