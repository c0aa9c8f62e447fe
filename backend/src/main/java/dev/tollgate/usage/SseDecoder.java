// Why: OpenAI-style streams report usage in one SSE event near the end ("choices": [] and a "usage" object,
// present when the request set stream_options.include_usage). The decoder follows the SSE line grammar byte by
// byte (LF, CRLF or CR line ends, multi-line data, comments and other fields), keeps only the current event's
// data, parses only an event whose data holds "usage": {, and, when asked, marks where the usage-only event
// lies in the stream so the tap can keep it from a client that did not ask for it.
package dev.tollgate.usage;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Usage of a server-sent-event stream. Positions are offsets in the whole stream (bytes fed so far), so the tap
 * can map them onto the chunks it holds.
 */
final class SseDecoder implements UsageDecoder {
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPEN = "{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);

    private enum Line { FIELD, DATA, IGNORED }

    private final boolean strip;
    private final int cap;
    private final LineBuffer data;
    private Line state = Line.FIELD;
    /** Bytes of the current line's field name read so far, and whether they spell a prefix of "data". */
    private int fieldLength;
    private boolean dataPrefix = true;
    /** At the first byte of a data value, where one leading space is dropped. */
    private boolean valueStart;
    /** The last byte was a CR ending a line; a LF right after it belongs to the same line end. */
    private boolean afterCr;
    /** A CR ended a blank line: the event is dispatched once it is known whether a LF follows. */
    private boolean dispatchPending;
    private boolean hasData;
    private boolean overflow;
    private long position;
    private long eventStart;
    private long[] cuts = new long[4];
    private int cutCount;
    private volatile Usage usage;
    private volatile long events;
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** {@code strip}: record the usage-only events as cuts. {@code cap}: the largest event looked at. */
    SseDecoder(boolean strip, int cap) {
        this.strip = strip;
        this.cap = cap;
        this.data = new LineBuffer(cap);
    }

    boolean strips() {
        return strip;
    }

    @Override
    public void feed(ByteBuf chunk) {
        int i = chunk.readerIndex();
        int end = chunk.writerIndex();
        long base = position - i;
        while (i < end) {
            if (afterCr) {
                afterCr = false;
                if (chunk.getByte(i) == '\n') {
                    i++;
                }
                if (dispatchPending) {
                    dispatchPending = false;
                    dispatch(base + i);
                }
                continue;
            }
            if (state == Line.FIELD) {
                byte b = chunk.getByte(i++);
                if (b == '\n' || b == '\r') {
                    endLine(b, base + i);
                } else if (b == ':') {
                    startValue();
                } else {
                    dataPrefix = dataPrefix && fieldLength < DATA.length && DATA[fieldLength] == b;
                    fieldLength++;
                }
                continue;
            }
            if (valueStart) {
                valueStart = false;
                if (chunk.getByte(i) == ' ') {
                    i++;
                    continue;
                }
            }
            int eol = chunk.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
            int stop = eol < 0 ? end : eol;
            if (state == Line.DATA && stop > i && !overflow && !data.append(chunk, i, stop - i)) {
                overflow = true;
            }
            if (eol < 0) {
                break;
            }
            i = eol + 1;
            endLine(chunk.getByte(eol), base + i);
        }
        position = base + end;
        if (position - eventStart > cap) {
            overflow = true;
        }
    }

    private void startValue() {
        boolean isData = dataPrefix && fieldLength == DATA.length;
        state = isData ? Line.DATA : Line.IGNORED;
        valueStart = isData;
        if (isData) {
            startData();
        }
    }

    private void startData() {
        if (hasData && !overflow && !data.append((byte) '\n')) {
            overflow = true;
        }
        hasData = true;
    }

    private void endLine(byte terminator, long after) {
        boolean blank = state == Line.FIELD && fieldLength == 0;
        if (state == Line.FIELD && !blank && dataPrefix && fieldLength == DATA.length) {
            startData(); // a line "data" with no colon is a data line with an empty value
        }
        state = Line.FIELD;
        fieldLength = 0;
        dataPrefix = true;
        valueStart = false;
        afterCr = terminator == '\r';
        if (blank) {
            if (afterCr) {
                dispatchPending = true;
            } else {
                dispatch(after);
            }
        }
    }

    /** The event that started at {@code eventStart} ends before {@code end}. */
    private void dispatch(long end) {
        boolean output = hasData && !LineBuffer.equals(data.array(), data.length(), DONE);
        if (!overflow && end - eventStart <= cap && hasData
                && LineBuffer.hasMember(data.array(), data.length(), USAGE, OPEN)) {
            UsageFields fields = UsageFields.read(data.array(), 0, data.length(), UsageFields.Dialect.OPENAI);
            Usage found = fields == null ? null : fields.usage();
            if (found != null) {
                usage = found;
                if (fields.usageOnly()) {
                    output = false;
                    if (strip) {
                        addCut(eventStart, end);
                    }
                }
            }
        }
        if (output) {
            events++;
        }
        data.reset();
        hasData = false;
        overflow = false;
        eventStart = end;
    }

    private void addCut(long start, long end) {
        if (cutCount * 2 == cuts.length) {
            cuts = Arrays.copyOf(cuts, cuts.length * 2);
        }
        cuts[cutCount * 2] = start;
        cuts[cutCount * 2 + 1] = end;
        cutCount++;
    }

    @Override
    public void end() {
        if (dispatchPending) {
            dispatchPending = false;
            dispatch(position);
        } else if (eventStart < position) {
            dispatch(position); // an unterminated last event: its usage still counts
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

    /** Bytes fed so far. */
    long position() {
        return position;
    }

    /**
     * Where the bytes start that may still turn out to be a usage-only event to strip (the start of the
     * unfinished event), or {@link #position()} when nothing needs holding back.
     */
    long holdFrom() {
        return strip && !overflow ? eventStart : position;
    }

    /** The events to strip that ended since the last {@link #clearCuts()}, as [start, end) stream offsets. */
    int cutCount() {
        return cutCount;
    }

    long cutStart(int i) {
        return cuts[i * 2];
    }

    long cutEnd(int i) {
        return cuts[i * 2 + 1];
    }

    void clearCuts() {
        cutCount = 0;
    }
}
