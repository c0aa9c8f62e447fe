// Why: the stream decoders keep the current partial line or event between chunks, and only that; this is the
// one place that copies those bytes, reuses its array from line to line, and refuses to grow past a cap.
package dev.tollgate.usage;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** A reusable byte array that holds at most {@code cap} bytes. */
final class LineBuffer {
    private static final int INITIAL = 512;
    /** After a line longer than this, reset() gives the large array back to the garbage collector. */
    private static final int KEEP = 64 * 1024;

    private final int cap;
    private byte[] bytes = new byte[INITIAL];
    private int length;

    LineBuffer(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be positive");
        }
        this.cap = cap;
    }

    /** Appends {@code n} bytes of {@code src} from {@code index}; false (and nothing appended) past the cap. */
    boolean append(ByteBuf src, int index, int n) {
        if (!ensure(n)) {
            return false;
        }
        src.getBytes(index, bytes, length, n);
        length += n;
        return true;
    }

    boolean append(byte b) {
        if (!ensure(1)) {
            return false;
        }
        bytes[length++] = b;
        return true;
    }

    private boolean ensure(int n) {
        if (n > cap - length) {
            return false;
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(cap, Math.max((long) bytes.length * 2, length + n)));
        }
        return true;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void reset() {
        length = 0;
        if (bytes.length > KEEP) {
            bytes = new byte[INITIAL];
        }
    }

    /**
     * True when {@code a[0, len)} holds the quoted key {@code key} (e.g. {@code "done"}), then optional JSON
     * whitespace, a colon, optional whitespace and {@code value}: a cheap test of whether a line can carry usage
     * before it is parsed. An escaped quote inside a string never matches, since the key's closing quote must
     * follow its last letter directly.
     */
    static boolean hasMember(byte[] a, int len, byte[] key, byte[] value) {
        for (int i = indexOf(a, 0, len, key); i >= 0; i = indexOf(a, i + 1, len, key)) {
            int j = skipSpace(a, i + key.length, len);
            if (j < len && a[j] == ':') {
                j = skipSpace(a, j + 1, len);
                if (startsWith(a, j, len, value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] a, int from, int len, byte[] needle) {
        byte first = needle[0];
        for (int i = from, last = len - needle.length; i <= last; i++) {
            if (a[i] == first && startsWith(a, i, len, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] a, int at, int len, byte[] prefix) {
        if (at + prefix.length > len) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (a[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(byte[] a, int i, int len) {
        while (i < len && (a[i] == ' ' || a[i] == '\t' || a[i] == '\r' || a[i] == '\n')) {
            i++;
        }
        return i;
    }

    /** True when {@code a[0, len)} is exactly {@code bytes}. */
    static boolean equals(byte[] a, int len, byte[] bytes) {
        return len == bytes.length && startsWith(a, 0, len, bytes);
    }

    /** True when {@code a[0, len)} holds only spaces, tabs and carriage returns. */
    static boolean blank(byte[] a, int len) {
        return skipSpace(a, 0, len) >= len;
    }
}
