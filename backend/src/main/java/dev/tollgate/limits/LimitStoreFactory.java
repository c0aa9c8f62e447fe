// Why: one code path, two storage modes: with REDIS_URL the limit state is shared by every replica through Redis;
// without it (embedded mode) it lives in this process.
package dev.tollgate.limits;

import dev.tollgate.config.Settings;
import dev.tollgate.storage.RedisConnections;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Context;

@Factory
public class LimitStoreFactory {
    /** Eager: the Redis store loads its scripts (a blocking call) at start-up, never on an event loop. */
    @Context
    LimitStore limitStore(Settings settings, RedisConnections redis) {
        return redis.connection()
                .<LimitStore>map(connection -> new RedisLimitStore(connection, settings.timezone()))
                .orElseGet(() -> new InProcessLimitStore(settings.timezone()));
    }
}
