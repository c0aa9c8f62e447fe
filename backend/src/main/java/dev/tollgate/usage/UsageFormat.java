// Why: which decoder reads a response depends on the API family (the path) and on whether the upstream
// streamed (the content type); the proxy knows both when the response head arrives.
package dev.tollgate.usage;

public enum UsageFormat {
    /** Ollama native stream: NDJSON, counts in the line with {@code "done": true}. */
    OLLAMA_NDJSON,
    /** Ollama native single answer: top-level {@code prompt_eval_count} / {@code eval_count}. */
    OLLAMA_JSON,
    /** OpenAI-compatible stream: SSE, counts in the event with a {@code usage} object. */
    OPENAI_SSE,
    /** OpenAI-compatible single answer: the top-level {@code usage} object. */
    OPENAI_JSON,
    /** Nothing to read (legacy /api/embeddings, errors in other content types, unknown paths). */
    NONE;

    /** Largest line or SSE event the stream decoders buffer while looking for usage. */
    public static final int MAX_EVENT_BYTES = 1024 * 1024;

    /** The format of an upstream answer to {@code path} with the given Content-Type (which may be null). */
    public static UsageFormat of(String path, String contentType) {
        if (contentType == null) {
            return NONE;
        }
        if (path.startsWith("/api/")) {
            if (path.equals("/api/embeddings")) {
                return NONE;
            }
            return is(contentType, "application/json") ? OLLAMA_JSON
                    : is(contentType, "application/x-ndjson") ? OLLAMA_NDJSON : NONE;
        }
        if (path.startsWith("/v1/")) {
            return is(contentType, "application/json") ? OPENAI_JSON
                    : is(contentType, "text/event-stream") ? OPENAI_SSE : NONE;
        }
        return NONE;
    }

    /**
     * A fresh decoder for one response. {@code stripUsageEvent}: keep the usage-only SSE event from the client
     * (Tollgate asked for it, the client did not); only {@link #OPENAI_SSE} has such an event.
     */
    public UsageDecoder decoder(boolean stripUsageEvent) {
        return switch (this) {
            case OLLAMA_NDJSON -> new NdjsonDecoder(MAX_EVENT_BYTES);
            case OLLAMA_JSON -> JsonDecoder.answer(UsageFields.Dialect.OLLAMA);
            case OPENAI_SSE -> new SseDecoder(stripUsageEvent, MAX_EVENT_BYTES);
            case OPENAI_JSON -> JsonDecoder.answer(UsageFields.Dialect.OPENAI);
            case NONE -> UsageDecoder.NONE;
        };
    }

    /** True when {@code contentType}'s media type (before any parameters, trimmed) is {@code type}, in any case. */
    private static boolean is(String contentType, String type) {
        int semicolon = contentType.indexOf(';');
        int end = semicolon < 0 ? contentType.length() : semicolon;
        int start = 0;
        while (start < end && contentType.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && contentType.charAt(end - 1) <= ' ') {
            end--;
        }
        return end - start == type.length() && contentType.regionMatches(true, start, type, 0, type.length());
    }
}
