// Why: which decoder reads a response depends on the API family (the path) and on whether the upstream
// streamed (the content type); the proxy knows both when the response head arrives.
package dev.tollgate.usage;

import java.util.Locale;

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
        String type = mediaType(contentType);
        if (path.startsWith("/api/")) {
            if (path.equals("/api/embeddings")) {
                return NONE;
            }
            return switch (type) {
                case "application/x-ndjson" -> OLLAMA_NDJSON;
                case "application/json" -> OLLAMA_JSON;
                default -> NONE;
            };
        }
        if (path.startsWith("/v1/")) {
            return switch (type) {
                case "text/event-stream" -> OPENAI_SSE;
                case "application/json" -> OPENAI_JSON;
                default -> NONE;
            };
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

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
