// Why: a one-object JSON answer (a chat completion, many megabytes of embeddings) reports its usage in a
// top-level field, possibly at the very end. Jackson's non-blocking parser is fed each chunk as it passes, so
// the body is never accumulated and no tree is built; once the top-level object closes, parsing stops. It is the
// byte-array parser: a chunk in direct memory is copied into a small reused array first, since the ByteBuffer
// parser reads each byte through a bounds-checked call (2 % of the gateway's CPU at 18k answers/s).
package dev.tollgate.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** Usage of one JSON object fed in pieces. Malformed input is not an error: it reports no usage. */
final class JsonDecoder implements UsageDecoder {
    private final UsageFields fields;
    private final boolean requireDone;
    /** The most bytes of a direct chunk copied at once. */
    private static final int COPY_MAX = 8192;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    /** Reused for chunks in direct memory; the parser has consumed all of it when a feed returns. */
    private byte[] copy;
    private boolean finished;
    private volatile Usage usage;
    private volatile String text;

    /** {@code requireDone}: count only an object that says {@code "done": true} (Ollama's last stream line). */
    JsonDecoder(UsageFields.Dialect dialect, boolean requireDone) {
        this.fields = new UsageFields(dialect);
        this.requireDone = requireDone;
    }

    /** A decoder of a whole answer, which also keeps its generated text (see {@link UsageDecoder#text()}). */
    static JsonDecoder answer(UsageFields.Dialect dialect) {
        JsonDecoder decoder = new JsonDecoder(dialect, false);
        decoder.fields.collectText();
        return decoder;
    }

    @Override
    public void feed(ByteBuf chunk) {
        feed(chunk, chunk.readerIndex(), chunk.readableBytes());
    }

    void feed(ByteBuf chunk, int index, int length) {
        if (finished || length == 0) {
            return;
        }
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + index, length);
            return;
        }
        for (int done = 0; done < length && !finished; ) {
            int n = Math.min(length - done, COPY_MAX);
            if (copy == null || copy.length < n) {
                copy = new byte[Math.max(n, 1024)];
            }
            chunk.getBytes(index + done, copy, 0, n);
            feed(copy, 0, n);
            done += n;
        }
    }

    void feed(byte[] a, int off, int length) {
        if (finished || length == 0) {
            return;
        }
        try {
            if (parser == null) {
                parser = UsageFields.JSON.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
            }
            feeder.feedInput(a, off, off + length);
            drain(); // returns having consumed all of it (or finished), so the array may be reused
        } catch (IOException | RuntimeException e) {
            finish();
        }
    }

    @Override
    public void end() {
        if (finished) {
            return;
        }
        try {
            if (parser != null) {
                feeder.endOfInput();
                drain();
            }
        } catch (IOException | RuntimeException e) {
            // malformed: no usage
        }
        finish();
    }

    /** Consumes every token the input fed so far completes. */
    private void drain() throws IOException {
        JsonToken t;
        while (!finished && (t = parser.nextToken()) != JsonToken.NOT_AVAILABLE) {
            if (t == null) {
                finish();
                return;
            }
            fields.accept(t, parser);
            if (fields.complete()) {
                if (!requireDone || fields.done()) {
                    usage = fields.usage();
                }
                finish();
            }
        }
    }

    private void finish() {
        if (!finished) {
            text = fields.text();
        }
        finished = true;
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException e) {
                // nothing held but memory
            }
            parser = null;
            feeder = null;
        }
    }

    @Override
    public Usage usage() {
        return usage;
    }

    /** The generated text, once the answer has ended; null before, or when not collected. */
    @Override
    public String text() {
        return text;
    }
}
