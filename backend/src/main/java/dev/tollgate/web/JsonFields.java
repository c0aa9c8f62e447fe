// Why: admin request bodies are untrusted; every field is read with its type and bounds checked, and an
// unexpected field is refused, so a mistake is a 400 naming the field and nothing is changed.
package dev.tollgate.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Typed, validating access to the members of a JSON object. */
public final class JsonFields {
    public static final int MAX_MODELS = 1000;
    public static final int MAX_MODEL_NAME = 200;
    /** What a caller is told when {@link #isModelName} refuses a name. */
    public static final String MODEL_NAME_RULE = "must be a model name of 1-" + MAX_MODEL_NAME + " characters without spaces";
    private final JsonNode node;

    public JsonFields(JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new FieldError(null, "request body must be a JSON object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw new FieldError(n, "is not a known field");
            }
        }
        this.node = node;
    }

    public boolean has(String name) {
        return node.has(name);
    }

    public JsonNode raw(String name) {
        return node.get(name);
    }

    public String text(String name, int min, int max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new FieldError(name, "is required");
        }
        if (!v.isTextual()) {
            throw new FieldError(name, "must be a string");
        }
        String s = v.asText().strip();
        if (s.length() < min || s.length() > max) {
            throw new FieldError(name, "must be " + min + "-" + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new FieldError(name, "must not contain control characters");
            }
        }
        return s;
    }

    public boolean bool(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isBoolean()) {
            throw new FieldError(name, "must be true or false");
        }
        return v.asBoolean();
    }

    /** A list of model names or patterns, or {@code null} (every model). */
    public List<String> models(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new FieldError(name, "must be an array of model names or null");
        }
        if (v.size() > MAX_MODELS) {
            throw new FieldError(name, "must have at most " + MAX_MODELS + " entries");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode m = v.get(i);
            if (!m.isTextual() || !isModelName(m.asText())) {
                throw new FieldError(name + "[" + i + "]", MODEL_NAME_RULE);
            }
            if (!out.contains(m.asText())) {
                out.add(m.asText());
            }
        }
        return out;
    }

    /** 1-200 characters, none of them white space or control characters. */
    public static boolean isModelName(String s) {
        return !s.isEmpty() && s.length() <= MAX_MODEL_NAME
                && s.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    /** An ISO 8601 time with offset, or {@code null}. */
    public Instant instant(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new FieldError(name, "must be an ISO 8601 time with offset, e.g. 2026-12-31T23:59:59Z");
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new FieldError(name, "must be an ISO 8601 time with offset, e.g. 2026-12-31T23:59:59Z");
        }
    }
}
