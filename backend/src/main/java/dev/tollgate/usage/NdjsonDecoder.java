// Why: Ollama streams one JSON object per line and reports the counts only in the last one ("done": true).
// Every line is checked with a byte search; only the line that says done is parsed. A line longer than the
// cap (a huge "context" array) is not buffered further but handed, as it arrives, to the non-blocking parser.
package dev.tollgate.usage;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Usage of an Ollama NDJSON stream: the counts of the last line with {@code "done": true}. */
final class NdjsonDecoder implements UsageDecoder {
    private static final byte[] DONE = "\"done\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);

    private final LineBuffer line;
    /** The current line once it outgrew the buffer, or null. */
    private JsonDecoder spill;
    private volatile Usage usage;
    private volatile long events;

    NdjsonDecoder(int lineCap) {
        this.line = new LineBuffer(lineCap);
    }

    @Override
    public void feed(ByteBuf chunk) {
        int i = chunk.readerIndex();
        int end = chunk.writerIndex();
        while (i < end) {
            int newline = chunk.indexOf(i, end, (byte) '\n');
            int stop = newline < 0 ? end : newline;
            append(chunk, i, stop - i);
            if (newline < 0) {
                return;
            }
            endLine();
            i = newline + 1;
        }
    }

    private void append(ByteBuf chunk, int index, int n) {
        if (n == 0) {
            return;
        }
        if (spill == null && !line.append(chunk, index, n)) {
            spill = new JsonDecoder(UsageFields.Dialect.OLLAMA, true);
            spill.feed(line.array(), 0, line.length());
            line.reset();
        }
        if (spill != null) {
            spill.feed(chunk, index, n);
        }
    }

    private void endLine() {
        Usage found = null;
        boolean output;
        if (spill != null) {
            spill.end();
            found = spill.usage();
            output = found == null;
            spill = null;
        } else if (LineBuffer.hasMember(line.array(), line.length(), DONE, TRUE)) {
            UsageFields fields = UsageFields.read(line.array(), 0, line.length(), UsageFields.Dialect.OLLAMA);
            found = fields != null && fields.done() ? fields.usage() : null;
            output = false;
        } else {
            output = !LineBuffer.blank(line.array(), line.length());
        }
        if (found != null) {
            usage = found;
        }
        if (output) {
            events++;
        }
        line.reset();
    }

    @Override
    public void end() {
        if (spill != null || line.length() > 0) {
            endLine();
        }
    }

    @Override
    public Usage usage() {
        return usage;
    }

    @Override
    public long events() {
        return events;
    }
}
