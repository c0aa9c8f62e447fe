// Why: what the limit engine and the usage log learn when a response ends: how it ended, what the upstream
// reported, and what the client actually received (bytes, chunks, when the first chunk came).
package dev.tollgate.usage;

import java.util.OptionalLong;

/**
 * The end of one response body.
 *
 * @param usage           what the upstream reported, or null when it reported nothing (before the end, or at all)
 * @param bytes           bytes forwarded to the client
 * @param chunks          chunks forwarded to the client
 * @param firstChunkNanos {@link System#nanoTime()} (or the tap's clock) when the first upstream chunk arrived;
 *                        empty when none did
 * @param events          output events delivered (see {@link UsageDecoder#events()})
 * @param text            the generated text of a one-object answer, or null (see {@link UsageDecoder#text()})
 */
public record TapResult(Outcome outcome, Usage usage, long bytes, long chunks, OptionalLong firstChunkNanos,
                        long events, String text) {
    public TapResult(Outcome outcome, Usage usage, long bytes, long chunks, OptionalLong firstChunkNanos) {
        this(outcome, usage, bytes, chunks, firstChunkNanos, 0, null);
    }

    public enum Outcome {
        /** The upstream ended the body normally. */
        COMPLETED,
        /** The upstream connection failed mid-body. */
        UPSTREAM_FAILED,
        /** The client went away (or the server cancelled its subscription) before the end. */
        CANCELLED
    }
}
