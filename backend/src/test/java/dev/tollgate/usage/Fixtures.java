// Why: the decoder and tap tests replay recorded upstream bodies (fixtures/docs from the official API docs,
// fixtures/mock from our mock upstream) cut into chunks at chosen places, as the network may deliver them.
package dev.tollgate.usage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

final class Fixtures {
    private Fixtures() {
    }

    static byte[] load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The body with every LF line end replaced by {@code lineEnd} ("\r\n" or "\r"). */
    static byte[] lineEnds(byte[] body, String lineEnd) {
        return bytes(text(body).replace("\n", lineEnd));
    }

    /** {@code body} cut at the given offsets (ascending, each within the body). */
    static List<ByteBuf> cut(byte[] body, int... at) {
        List<ByteBuf> chunks = new ArrayList<>();
        int from = 0;
        for (int to : at) {
            if (to > from) {
                chunks.add(copy(body, from, to));
                from = to;
            }
        }
        if (from < body.length) {
            chunks.add(copy(body, from, body.length));
        }
        return chunks;
    }

    /** {@code body} cut at {@code pieces - 1} random places. */
    static List<ByteBuf> randomCut(byte[] body, int pieces, SplittableRandom random) {
        int[] at = new int[pieces - 1];
        for (int i = 0; i < at.length; i++) {
            at[i] = random.nextInt(body.length + 1);
        }
        Arrays.sort(at);
        return cut(body, at);
    }

    /** A buffer with some bytes before and after the slice, so readerIndex is not 0 and capacity is larger. */
    private static ByteBuf copy(byte[] body, int from, int to) {
        ByteBuf buf = Unpooled.buffer(to - from + 6);
        buf.writeBytes(new byte[] {'x', 'x', 'x'});
        buf.writeBytes(body, from, to - from);
        buf.writeBytes(new byte[] {'y', 'y', 'y'});
        buf.readerIndex(3);
        buf.writerIndex(3 + to - from);
        return buf;
    }

    /** Where a chunk's bytes live: the upstream's reads are direct buffers, a relayed slice may be a composite. */
    enum Memory { HEAP, DIRECT, COMPOSITE }

    /** The same chunks (released) moved into {@code memory}, with bytes before and after the slice as in copy(). */
    static List<ByteBuf> in(Memory memory, List<ByteBuf> chunks) {
        List<ByteBuf> out = new ArrayList<>();
        for (ByteBuf chunk : chunks) {
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.getBytes(chunk.readerIndex(), bytes);
            chunk.release();
            out.add(switch (memory) {
                case HEAP -> copy(bytes, 0, bytes.length);
                case DIRECT -> {
                    ByteBuf buf = Unpooled.directBuffer(bytes.length + 6).writeBytes(new byte[] {'x', 'x', 'x'})
                            .writeBytes(bytes).writeBytes(new byte[] {'y', 'y', 'y'});
                    yield buf.setIndex(3, 3 + bytes.length);
                }
                case COMPOSITE -> {
                    int half = bytes.length / 2;
                    yield Unpooled.compositeBuffer().addComponent(true, copy(bytes, 0, half))
                            .addComponent(true, Unpooled.directBuffer(bytes.length - half).writeBytes(bytes, half, bytes.length - half));
                }
            });
        }
        return out;
    }

    /** Feeds the chunks to a decoder, checking it leaves them as they were, then ends the body. */
    static Usage decode(UsageDecoder decoder, List<ByteBuf> chunks) {
        for (ByteBuf chunk : chunks) {
            int reader = chunk.readerIndex();
            int writer = chunk.writerIndex();
            decoder.feed(chunk);
            if (chunk.readerIndex() != reader || chunk.writerIndex() != writer || chunk.refCnt() != 1) {
                throw new AssertionError("the decoder changed the chunk");
            }
            chunk.release();
        }
        decoder.end();
        return decoder.usage();
    }
}
