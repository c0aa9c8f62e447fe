// How one API family renders a generation: per-token stream chunks, the stream's ending, or one full body.
package dev.tollgate.mock;

import java.util.function.Consumer;

interface WireFormat {
    CharSequence contentType(boolean stream);

    /** One streamed chunk carrying token i (a full NDJSON line or SSE event). */
    CharSequence token(Generation g, int i);

    /** The chunks that end a completed stream, each passed to out (flushed as separate HTTP chunks). */
    void end(Generation g, Consumer<CharSequence> out);

    /** The non-streaming response body. */
    CharSequence full(Generation g);
}
