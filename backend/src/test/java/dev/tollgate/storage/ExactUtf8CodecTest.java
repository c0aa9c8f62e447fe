// Why: the codec tells Lettuce how many bytes each argument takes before writing it in place; a wrong count would
// corrupt the command stream, so the count is checked against what is written, and the round trip through Redis.
package dev.tollgate.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.LocalRedis;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExactUtf8CodecTest {
    private static final ExactUtf8Codec CODEC = ExactUtf8Codec.INSTANCE;

    @ParameterizedTest(name = "[{index}] {0}.")
    @ValueSource(strings = {"", "req_01a2372783575sHPUX6YxupKq9", "{t:ten_1}:c:k:key_1:tpm:s60", "café", "日本語の鍵",
            "emoji 😀 and ∑", "a\u0000b"})
    void theSizeIsExactlyWhatIsWritten(String value) {
        assertWrittenAsCounted(value);
    }

    @Test
    void aLongValueToo() {
        assertWrittenAsCounted("x".repeat(5000) + "é");
    }

    private static void assertWrittenAsCounted(String value) {
        assertThat(CODEC.isEstimateExact()).isTrue();
        ByteBuf written = Unpooled.buffer();
        CODEC.encodeValue(value, written);
        assertThat(CODEC.estimateSize(value)).isEqualTo(written.readableBytes())
                .isEqualTo(value.getBytes(StandardCharsets.UTF_8).length);
        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(value);
        ByteBuf key = Unpooled.buffer();
        CODEC.encodeKey(value, key);
        assertThat(key).isEqualTo(written);
    }

    @Test
    void anUnpairedSurrogateIsCountedAsTheOneByteWritten() {
        String broken = "a\uD800b";
        ByteBuf written = Unpooled.buffer();
        CODEC.encodeValue(broken, written);
        assertThat(CODEC.estimateSize(broken)).isEqualTo(written.readableBytes());
    }

    @Test
    void nothingIsZeroBytes() {
        assertThat(CODEC.estimateSize(null)).isZero();
    }

    /** Needs {@code REDIS_URL}; skipped without it. Keys and arguments of every width reach a script intact. */
    @Test
    void keysAndArgumentsReachRedisIntact() {
        RedisCommands<String, String> redis = LocalRedis.connectionOrSkip().sync();
        String key = "{t:tést_日本}:codec-test:" + System.nanoTime();
        String longest = "x".repeat(3000) + "∑";
        try {
            List<Object> echoed = redis.eval("redis.call('SET', KEYS[1], ARGV[2], 'EX', 60) "
                    + "return {KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]}", ScriptOutputType.MULTI,
                    new String[] {key}, "", "café", "😀", longest);
            assertThat(echoed).containsExactly(key, "", "café", "😀", longest);
            assertThat(redis.get(key)).isEqualTo("café");
        } finally {
            redis.del(key);
        }
    }
}
