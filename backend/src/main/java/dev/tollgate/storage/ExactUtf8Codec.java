// Why: Lettuce writes a key or value straight into the command's buffer only when the codec knows its exact encoded
// size; StringCodec.UTF8 only estimates it, so every argument went through a pooled buffer of its own first. A limit
// decision sends some 130 arguments, and that copying was a third of the Redis I/O thread's time. This is
// StringCodec.UTF8 with the exact size (one pass over the string), so arguments are written once, in place.
package dev.tollgate.storage;

import io.lettuce.core.codec.StringCodec;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/** UTF-8 strings, as {@link StringCodec#UTF8}, with exact encoded sizes. */
public final class ExactUtf8Codec extends StringCodec {
    public static final ExactUtf8Codec INSTANCE = new ExactUtf8Codec();

    private ExactUtf8Codec() {
        super(StandardCharsets.UTF_8);
    }

    /** Exact: {@link #estimateSize} counts the bytes {@code ByteBufUtil.writeUtf8} writes (StringCodec's UTF-8 path). */
    @Override
    public boolean isEstimateExact() {
        return true;
    }

    @Override
    public int estimateSize(Object keyOrValue) {
        return keyOrValue == null ? 0 : ByteBufUtil.utf8Bytes((CharSequence) keyOrValue);
    }
}
