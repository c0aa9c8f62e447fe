// Why: the Redis-backed store tests run against the real Redis named by REDIS_URL (as CI sets it) and are skipped
// without one; they share one connection per test JVM (closed when it exits) and never flush data.
package dev.tollgate.support;

import dev.tollgate.storage.ExactUtf8Codec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Assumptions;

public final class LocalRedis {
    private static StatefulRedisConnection<String, String> shared;

    private LocalRedis() {
    }

    /** The shared connection to {@code REDIS_URL}; skips the calling test class when it is not set. */
    public static synchronized StatefulRedisConnection<String, String> connectionOrSkip() {
        String url = System.getenv("REDIS_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(), "REDIS_URL is not set");
        if (shared == null) {
            RedisClient client = RedisClient.create(url);
            shared = client.connect(ExactUtf8Codec.INSTANCE); // as the gateway's connection
            Runtime.getRuntime().addShutdownHook(new Thread(client::shutdown, "local-redis-shutdown"));
        }
        return shared;
    }
}
