// Why: each wire format reports usage in its own place (the NDJSON line with "done": true, the SSE event with
// "usage", a top-level field of a JSON body); the tap feeds every chunk to one decoder per response and asks it
// what was reported, without knowing the format.
package dev.tollgate.usage;

import io.netty.buffer.ByteBuf;

/** Reads usage from a response body fed chunk by chunk. One per response; feed, end and usage from one thread. */
public interface UsageDecoder {
    /** Reads the chunk's readable bytes; never changes its indices or its reference count. */
    void feed(ByteBuf chunk);

    /** The body ended normally: an unterminated last line or event counts too. */
    void end();

    /**
     * What the upstream has reported so far, complete reports only, or null. Safe to call from another thread
     * (a client's cancel) while chunks are being fed.
     */
    Usage usage();

    /**
     * Output events delivered so far: NDJSON lines other than the last {@code "done": true} one, SSE events other
     * than {@code [DONE]} and a usage-only event. Servers stream about one token per event, so when a stream ends
     * without a report (the client left, the upstream failed) this is the estimate of the output it carried.
     * Safe to read from another thread.
     */
    default long events() {
        return 0;
    }

    /**
     * The generated text of a one-object answer (message content, response, choices' text), for counting the
     * output when the answer reports no usage; null for streams and unknown formats.
     */
    default String text() {
        return null;
    }

    /** A decoder for bodies that report nothing (legacy embeddings, unknown content types). */
    UsageDecoder NONE = new UsageDecoder() {
        @Override
        public void feed(ByteBuf chunk) {
        }

        @Override
        public void end() {
        }

        @Override
        public Usage usage() {
            return null;
        }
    };
}
