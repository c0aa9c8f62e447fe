// Everything a token stream needs to know about one chat/completion request, parsed up front so the
// request buffer can be released before any delayed work runs.
package dev.tollgate.mock;

import java.util.concurrent.atomic.AtomicLong;

final class Generation {
    private static final AtomicLong IDS = new AtomicLong();

    /** The model name exactly as requested, already JSON-quoted (Ollama echoes the request's name). */
    final String modelJson;
    final int promptTokens;
    final int outputTokens;
    final boolean stream;
    final boolean includeUsage;
    final boolean slowFail;
    /** Reports no token counts (mock-silent). */
    final boolean silent;
    /** Stops producing after a few tokens and waits for the client to leave (mock-stall). */
    final boolean stalls;
    final long startNanos = System.nanoTime();
    /** OpenAI response id (e.g. "chatcmpl-7"), JSON-quoted; null for Ollama routes. */
    final String idJson;
    final long created;

    Generation(String model, int promptTokens, int outputTokens, boolean stream, boolean includeUsage,
               Models.Behavior behavior, String idPrefix) {
        this.modelJson = Json.quote(model);
        this.promptTokens = Math.max(1, promptTokens);
        this.outputTokens = outputTokens;
        this.stream = stream;
        this.includeUsage = includeUsage;
        this.slowFail = behavior == Models.Behavior.SLOW_FAIL;
        this.silent = behavior == Models.Behavior.SILENT;
        this.stalls = behavior == Models.Behavior.STALL;
        this.idJson = idPrefix == null ? null : "\"" + idPrefix + IDS.incrementAndGet() + "\"";
        this.created = idPrefix == null ? 0 : System.currentTimeMillis() / 1000;
    }

    /** Token i's text, JSON-quoted: "tok<i> ". */
    static StringBuilder tokenJson(StringBuilder sb, int i) {
        return sb.append("\"tok").append(i).append(" \"");
    }

    /** The whole output text, JSON-quoted. */
    StringBuilder contentJson(StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < outputTokens; i++) sb.append("tok").append(i).append(' ');
        return sb.append('"');
    }

    int totalTokens() {
        return promptTokens + outputTokens;
    }
}
