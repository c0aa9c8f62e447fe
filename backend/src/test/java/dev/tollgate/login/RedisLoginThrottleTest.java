// Why: the Redis login throttle passes the shared throttle contract against a real Redis (REDIS_URL) and keeps the
// Redis-only promises: every key it writes expires with its window and both keys of a call share one Cluster slot.
package dev.tollgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.LocalRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Needs {@code REDIS_URL} (e.g. {@code redis://127.0.0.1:6379/0}); skipped without it. Never flushes data. */
class RedisLoginThrottleTest extends LoginThrottleContract {
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        connection = LocalRedis.connectionOrSkip();
    }

    @Override
    LoginThrottle newThrottle(LoginThrottle.Limits limits) {
        return new RedisLoginThrottle(connection, limits);
    }

    @Test
    void everyKeyExpiresWithItsWindowAndBothShareASlot() {
        LoginThrottle throttle = newThrottle(LIMITS);
        String user = "{login}:u:" + run + ":ttl";
        String address = "{login}:a:" + run + ":ttl";
        throttle.attempt(run + ":ttl", run + ":ttl", Instant.now());
        for (String key : new String[] {user, address}) {
            assertThat(connection.sync().pttl(key)).as(key).isBetween(1L, LIMITS.window().toMillis());
        }
        assertThat(SlotHash.getSlot(user)).isEqualTo(SlotHash.getSlot(address));
        throttle.succeeded(run + ":ttl", run + ":ttl", Instant.now());
        assertThat(connection.sync().exists(user)).isZero();
        assertThat(connection.sync().pttl(address)).isPositive();
    }
}
