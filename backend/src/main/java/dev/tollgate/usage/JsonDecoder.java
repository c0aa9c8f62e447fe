// Why: a one-object JSON answer (a chat completion, many megabytes of embeddings) reports its usage in a
// top-level field, possibly at the very end. Jackson's non-blocking parser is fed each chunk as it passes, so
// the body is never accumulated and no tree is built; once the top-level object closes, parsing stops.
package dev.tollgate.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Usage of one JSON object fed in pieces. Malformed input is not an error: it reports no usage. */
final class JsonDecoder implements UsageDecoder {
    private final UsageFields fields;
    private final boolean requireDone;
    private JsonParser parser;
    private ByteBufferFeeder feeder;
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
        if (chunk.nioBufferCount() == 1) {
            feed(chunk.nioBuffer(index, length));
        } else {
            for (ByteBuffer part : chunk.nioBuffers(index, length)) {
                feed(part);
            }
        }
    }

    void feed(byte[] a, int off, int length) {
        if (!finished && length > 0) {
            feed(ByteBuffer.wrap(a, off, length));
        }
    }

    private void feed(ByteBuffer bytes) {
        if (finished) {
            return;
        }
        try {
            if (parser == null) {
                parser = UsageFields.JSON.createNonBlockingByteBufferParser();
                feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
            }
            feeder.feedInput(bytes);
            drain();
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
