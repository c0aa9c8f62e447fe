// Why: the gateway must know a few fields of each request (model, stream flag, output cap, the prompt text to
// estimate tokens from) and reject malformed JSON, without building an object tree of a possibly large prompt.
// One pass of Jackson's streaming parser reads what it needs and skips (but still checks) everything else.
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

    /** Top-level fields whose text the model reads as its prompt (both dialects). */
    private static final java.util.Set<String> PROMPT_FIELDS =
            java.util.Set.of("messages", "prompt", "system", "suffix", "input", "tools", "functions", "instructions");

    /**
     * What the gateway needs from a request body. {@code stream} and {@code maxOutput} are null when the body does
     * not say ({@code max_tokens}, {@code max_completion_tokens} or Ollama's {@code options.num_predict}, where a
     * negative value means "no cap"). {@code promptText} holds the prompt's strings (separated by spaces),
     * {@code promptTokenIds} the token ids sent instead of text ({@code "prompt": [1, 2, 3]}), {@code messages} the
     * number of chat messages.
     */
    public record Inspected(String model, Boolean stream, Long maxOutput, CharSequence promptText, long promptTokenIds,
                            int messages) {
        public Inspected(String model, Boolean stream) {
            this(model, stream, null, "", 0, 0);
        }
    }

    public static Inspected inspect(byte[] body, boolean modelRequired) {
        if (body == null || body.length == 0) {
            throw ProxyException.badRequest("Request body is empty; expected a JSON object.");
        }
        String model = null;
        Boolean stream = null;
        Long maxOutput = null;
        Prompt prompt = new Prompt();
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
                    case "messages" -> {
                        expect(value, JsonToken.START_ARRAY, "'messages' must be an array.");
                        prompt.collect(p, value, false);
                    }
                    case "options" -> {
                        expect(value, JsonToken.START_OBJECT, "'options' must be an object.");
                        Long cap = numPredict(p, value);
                        if (cap != null && maxOutput == null) {
                            maxOutput = cap;
                        }
                    }
                    case "max_tokens", "max_completion_tokens" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NULL) {
                            throw ProxyException.badRequest("'" + field + "' must be an integer.");
                        }
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            long cap = p.getLongValue();
                            if (cap < 0) {
                                throw ProxyException.badRequest("'" + field + "' must not be negative.");
                            }
                            maxOutput = cap;
                        }
                    }
                    default -> {
                        if (PROMPT_FIELDS.contains(field)) {
                            prompt.collect(p, value, field.equals("prompt") || field.equals("input"));
                        } else {
                            p.skipChildren();
                        }
                    }
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
        return new Inspected(model, stream, maxOutput, prompt.text, prompt.tokenIds, prompt.messages);
    }

    private static void expect(JsonToken actual, JsonToken expected, String message) {
        if (actual != expected && actual != JsonToken.VALUE_NULL) {
            throw ProxyException.badRequest(message);
        }
    }

    /** Ollama's output cap inside {@code options}; null when absent or negative (no cap). */
    private static Long numPredict(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            return null;
        }
        Long cap = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("num_predict")) {
                if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NULL) {
                    throw ProxyException.badRequest("'options.num_predict' must be an integer.");
                }
                if (v == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0) {
                    cap = p.getLongValue();
                }
            } else {
                p.skipChildren();
            }
        }
        return cap;
    }

    /** Gathers the prompt's strings (and token ids) from the fields the model reads. */
    private static final class Prompt {
        final StringBuilder text = new StringBuilder();
        long tokenIds;
        int messages;

        /** Walks the value at the parser (its first token already read), collecting strings. */
        void collect(JsonParser p, JsonToken first, boolean idsAllowed) throws IOException {
            int depth = 0;
            JsonToken t = first;
            while (true) {
                switch (t) {
                    case START_OBJECT -> {
                        if (depth == 1 && first == JsonToken.START_ARRAY && !idsAllowed) {
                            messages++;
                        }
                        depth++;
                    }
                    case START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> {
                        if (!text.isEmpty()) {
                            text.append(' ');
                        }
                        text.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    }
                    case VALUE_NUMBER_INT -> {
                        if (idsAllowed) {
                            tokenIds++;
                        }
                    }
                    default -> {
                    }
                }
                if (depth == 0) {
                    return;
                }
                t = p.nextToken();
                if (t == null) {
                    throw ProxyException.badRequest("Request body is not valid JSON: unexpected end of input");
                }
            }
        }
    }

    private static String getOriginalMessageOrNull(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? "unexpected end of input" : m.lines().findFirst().orElse(m);
    }
}
