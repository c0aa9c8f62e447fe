// Deterministic "tokenizer" for prompt accounting: one token per whitespace-separated word, so tests
// can compute the exact prompt_eval_count / prompt_tokens the mock will report.
package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;

final class Words {
    private Words() {}

    static int count(String s) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0, n = s.length(); i < n; i++) {
            boolean ws = Character.isWhitespace(s.charAt(i));
            if (!ws && !inWord) words++;
            inWord = !ws;
        }
        return words;
    }

    /**
     * Words in a prompt-ish JSON value: a string, an array of strings, content parts
     * ({type:"text",text:...}), or token arrays (each number counts as one token).
     */
    static int count(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return 0;
        if (n.isTextual()) return count(n.textValue());
        if (n.isNumber()) return 1;
        if (n.isArray()) {
            int sum = 0;
            for (JsonNode e : n) sum += count(e);
            return sum;
        }
        if (n.isObject()) {
            JsonNode text = n.get("text");
            return text != null && text.isTextual() ? count(text.textValue()) : 0;
        }
        return 0;
    }

    /** Words across every message's content (string or parts array). */
    static int messages(JsonNode messages) {
        if (messages == null || !messages.isArray()) return 0;
        int sum = 0;
        for (JsonNode m : messages) sum += count(m.get("content"));
        return sum;
    }
}
