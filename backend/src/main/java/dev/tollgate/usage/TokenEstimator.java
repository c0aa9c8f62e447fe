// Why: limits are reserved before the upstream has said anything, so the gateway estimates a prompt's tokens
// itself (jtokkit's cl100k_base: exact for OpenAI's models, a close stand-in for local ones). Settlement replaces
// the estimate by the upstream's own count, so the estimate only has to be fast and not far off.
package dev.tollgate.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.micronaut.context.annotation.Context;

/**
 * Counts tokens of prompt text. Texts longer than {@link #EXACT_CHARS} are counted exactly on their first
 * {@code EXACT_CHARS} characters and extrapolated for the rest, so a 10 MiB prompt never holds an event loop for
 * long. Loaded at start-up (the vocabulary takes a moment to load).
 */
@Context
public class TokenEstimator {
    static final int EXACT_CHARS = 64 * 1024;
    private final Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    /** Tokens of {@code text} (0 for empty). */
    public long count(CharSequence text) {
        int length = text.length();
        if (length == 0) {
            return 0;
        }
        if (length <= EXACT_CHARS) {
            return encoding.countTokensOrdinary(text.toString());
        }
        long head = encoding.countTokensOrdinary(text.subSequence(0, EXACT_CHARS).toString());
        // round up: an estimate that is too high only reserves a little more until settlement
        return head + (long) Math.ceil((double) head * (length - EXACT_CHARS) / EXACT_CHARS);
    }
}
