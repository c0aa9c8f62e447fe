// Why: to keep the usage event from a client that did not ask for it, the tap must not forward an event before
// it knows what the event is. This holds back only the unfinished event (usually nothing: events arrive whole)
// and forwards everything else as slices of the upstream's own buffers, never copying bytes.
package dev.tollgate.usage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/** The bytes of a stripped SSE stream not forwarded yet. Not thread-safe. */
final class Holdback {
    private ByteBuf held;
    private long heldStart;

    /**
     * Takes ownership of {@code chunk} (the stream's bytes [chunkStart, decoder.position()), already fed to the
     * decoder) and answers what to forward now: everything before the decoder's hold point, minus its cuts, or
     * null when nothing is to be forwarded. The rest is kept for the next call.
     */
    ByteBuf pass(ByteBuf chunk, long chunkStart, SseDecoder decoder) {
        long end = decoder.position();
        long holdFrom = decoder.holdFrom();
        ByteBuf all = chunk;
        long base = chunkStart;
        if (held != null) {
            all = Unpooled.wrappedBuffer(held, chunk);
            base = heldStart;
            held = null;
        }
        if (decoder.cutCount() == 0 && holdFrom == end) {
            return all;
        }
        ByteBuf out = null;
        long from = base;
        for (int c = 0; c < decoder.cutCount(); c++) {
            long cutStart = Math.max(decoder.cutStart(c), base);
            out = add(out, all, base, from, Math.min(cutStart, holdFrom));
            from = Math.max(from, decoder.cutEnd(c));
        }
        decoder.clearCuts();
        out = add(out, all, base, from, holdFrom);
        long keep = Math.max(holdFrom, from);
        if (end > keep) {
            held = all.retainedSlice(all.readerIndex() + (int) (keep - base), (int) (end - keep));
            heldStart = keep;
        }
        all.release();
        return out;
    }

    private static ByteBuf add(ByteBuf out, ByteBuf all, long base, long from, long to) {
        if (to <= from) {
            return out;
        }
        ByteBuf piece = all.retainedSlice(all.readerIndex() + (int) (from - base), (int) (to - from));
        if (out == null) {
            return piece;
        }
        if (out instanceof CompositeByteBuf composite) {
            return composite.addComponent(true, piece);
        }
        return Unpooled.wrappedBuffer(out, piece);
    }

    /** Takes ownership of {@code chunk} and answers it with everything held before it (metering gave up). */
    ByteBuf flush(ByteBuf chunk) {
        if (held == null) {
            return chunk;
        }
        ByteBuf all = Unpooled.wrappedBuffer(held, chunk);
        held = null;
        return all;
    }

    /** Releases whatever is held (cancel, error). */
    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
