// Why: one model call as the request log stores it, built when the response ends (or the call is refused) and
// handed to the UsageSink; a plain value so the writer can batch, retry and de-duplicate it on its request id.
package dev.tollgate.usage;

import java.time.Instant;

/**
 * A finished model call.
 *
 * @param model      the model the body named, or null
 * @param upstream   the upstream's name, or null when none was chosen
 * @param endpoint   the client's path, e.g. {@code /api/chat}
 * @param dialect    {@code ollama} or {@code openai}
 * @param status     the status the client received
 * @param estimated  true when the upstream reported no usage and the counts are Tollgate's own
 * @param costMicros USD × 1e6
 * @param ttfbMs     milliseconds to the first byte of the answer, or null when none was sent
 * @param errorCode  null for a complete answer; otherwise why it failed or ended early
 * @param prompt     the request body, when the key logs prompts; else null
 */
public record RequestRecord(
        String requestId,
        Instant createdAt,
        String tenantId,
        String keyId,
        String model,
        String upstream,
        String endpoint,
        String dialect,
        int status,
        long promptTokens,
        long completionTokens,
        boolean estimated,
        long costMicros,
        Integer ttfbMs,
        int totalMs,
        boolean stream,
        String errorCode,
        String prompt) {
    /** Longest stored name (model, upstream, endpoint, error code); a longer one is cut. */
    static final int NAME_CAP = 512;

    public RequestRecord {
        model = storable(model, NAME_CAP);
        upstream = storable(upstream, NAME_CAP);
        endpoint = storable(endpoint, NAME_CAP);
        errorCode = storable(errorCode, NAME_CAP);
        prompt = storable(prompt, Integer.MAX_VALUE);
    }

    /** Text as Postgres stores it: no NUL characters (a JSON string may carry one), at most {@code cap} chars. */
    static String storable(String text, int cap) {
        if (text == null) {
            return null;
        }
        String clean = text.indexOf('\0') < 0 ? text : text.replace("\0", "");
        return clean.length() <= cap ? clean : clean.substring(0, cap);
    }
}
