// Why: the usage fields sit at fixed places in each dialect's JSON (top-level counts in Ollama, a top-level
// "usage" object in OpenAI); one token-by-token reader finds them for both the blocking parser (one line or
// event) and the non-blocking one (a body fed chunk by chunk), without building a tree and skipping the rest.
package dev.tollgate.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Consumes the tokens of one JSON value and remembers the usage fields of its top-level object. */
final class UsageFields {
    /** Where a dialect keeps its counts. */
    enum Dialect { OLLAMA, OPENAI }

    static final JsonFactory JSON = new JsonFactory();

    private enum Choices { ABSENT, OPENED, EMPTY, PRESENT }

    private final Dialect dialect;
    private int depth;
    private String field;
    private boolean inUsage;
    private String usageField;
    private boolean usageSeen;
    private long prompt = -1;
    private long completion = -1;
    private boolean done;
    private Choices choices = Choices.ABSENT;
    private boolean complete;
    /** The generated text, collected only when asked for (see {@link #collectText()}); else null. */
    private StringBuilder text;
    private String name;
    /** Most characters of generated text collected. */
    static final int TEXT_CAP = 1 << 20;

    UsageFields(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Reads one whole JSON value from {@code a[off, off+len)}; null when it is not valid JSON. */
    static UsageFields read(byte[] a, int off, int len, Dialect dialect) {
        UsageFields fields = new UsageFields(dialect);
        try (JsonParser p = JSON.createParser(a, off, len)) {
            JsonToken t;
            while (!fields.complete && (t = p.nextToken()) != null) {
                fields.accept(t, p);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return fields.complete ? fields : null;
    }

    /** Consumes the parser's current token {@code t}. */
    void accept(JsonToken t, JsonParser p) throws IOException {
        if (complete) {
            return;
        }
        if (choices == Choices.OPENED) {
            choices = t == JsonToken.END_ARRAY ? Choices.EMPTY : Choices.PRESENT;
        }
        switch (t) {
            case START_OBJECT, START_ARRAY -> open(t);
            case END_OBJECT, END_ARRAY -> close();
            case FIELD_NAME -> {
                name = p.currentName();
                if (depth == 1) {
                    field = p.currentName();
                } else if (depth == 2 && inUsage) {
                    usageField = p.currentName();
                }
            }
            default -> scalar(t, p);
        }
    }

    private void open(JsonToken t) {
        depth++;
        if (depth == 1 && t != JsonToken.START_OBJECT) {
            depth = 0;
            complete = true;
        } else if (depth == 2 && dialect == Dialect.OPENAI && t == JsonToken.START_OBJECT && "usage".equals(field)) {
            inUsage = true;
            usageSeen = true;
            prompt = -1;
            completion = -1;
        } else if (depth == 2 && t == JsonToken.START_ARRAY && "choices".equals(field)) {
            choices = Choices.OPENED;
        }
    }

    private void close() {
        depth--;
        if (depth == 1) {
            inUsage = false;
        } else if (depth <= 0) {
            complete = true;
        }
    }

    private void scalar(JsonToken t, JsonParser p) throws IOException {
        if (text != null && t == JsonToken.VALUE_STRING && isGenerated(name) && text.length() < TEXT_CAP) {
            String s = p.getText();
            text.append(s, 0, Math.min(s.length(), TEXT_CAP - text.length()));
        }
        if (depth == 0) {
            complete = true;
            return;
        }
        if (depth == 1) {
            topLevel(t, p);
        } else if (depth == 2 && inUsage && t == JsonToken.VALUE_NUMBER_INT) {
            if ("prompt_tokens".equals(usageField)) {
                prompt = count(p);
            } else if ("completion_tokens".equals(usageField)) {
                completion = count(p);
            }
        }
    }

    private void topLevel(JsonToken t, JsonParser p) throws IOException {
        if (dialect == Dialect.OLLAMA) {
            switch (field) {
                case "done" -> done = t == JsonToken.VALUE_TRUE;
                case "prompt_eval_count" -> prompt = t == JsonToken.VALUE_NUMBER_INT ? count(p) : -1;
                case "eval_count" -> completion = t == JsonToken.VALUE_NUMBER_INT ? count(p) : -1;
                default -> {
                }
            }
        } else if ("usage".equals(field)) {
            usageSeen = false;
        } else if ("choices".equals(field) && t == JsonToken.VALUE_NULL) {
            choices = Choices.EMPTY;
        }
    }

    private static long count(JsonParser p) throws IOException {
        long n = p.getLongValue();
        return n < 0 ? -1 : n;
    }

    /** Also collects the generated text: message.content, response, choices[].text. */
    void collectText() {
        text = new StringBuilder();
    }

    /** The generated text collected, or null when not asked for. */
    String text() {
        return text == null ? null : text.toString();
    }

    private static boolean isGenerated(String field) {
        return "content".equals(field) || "response".equals(field) || "text".equals(field);
    }

    /** True once the top-level value has ended. */
    boolean complete() {
        return complete;
    }

    /** Ollama: the object said {@code "done": true}. */
    boolean done() {
        return done;
    }

    /** The reported usage, or null when the value carried none. */
    Usage usage() {
        if (dialect == Dialect.OPENAI && !usageSeen || prompt < 0 && completion < 0) {
            return null;
        }
        return new Usage(Math.max(prompt, 0), Math.max(completion, 0));
    }

    /** OpenAI: a usage-only chunk (a usage object and no choices), the one include_usage adds to a stream. */
    boolean usageOnly() {
        return usageSeen && usage() != null && choices != Choices.PRESENT && choices != Choices.OPENED;
    }
}
