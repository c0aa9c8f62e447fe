// Why: one code path, two storage modes: with REDIS_URL key-cache events travel through Redis pub/sub to every
// replica; without it (embedded mode, one replica) they stay in this process.
package dev.tollgate.keys;

import dev.tollgate.storage.RedisConnections;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

@Factory
public class KeyEventsFactory {
    /** Eager: the Redis subscription is made (a blocking call) at start-up, never on an event loop. */
    @Context
    @Bean(preDestroy = "close")
    KeyEvents keyEvents(RedisConnections redis) {
        return redis.connection()
                .<KeyEvents>map(commands -> new RedisKeyEvents(commands, redis.connectPubSub().orElseThrow()))
                .orElseGet(LocalKeyEvents::new);
    }
}
