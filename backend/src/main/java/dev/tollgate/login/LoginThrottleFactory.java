// Why: with REDIS_URL the attempt counters are shared by every replica; without it (embedded mode) they live here.
package dev.tollgate.login;

import dev.tollgate.storage.RedisConnections;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

@Factory
public class LoginThrottleFactory {
    /** Eager: the Redis throttle loads its script (a blocking call) at start-up. */
    @Context
    LoginThrottle loginThrottle(RedisConnections redis, LoginThrottleProperties properties) {
        return redis.connection()
                .<LoginThrottle>map(connection -> new RedisLoginThrottle(connection, properties.limits()))
                .orElseGet(() -> new InProcessLoginThrottle(properties.limits()));
    }
}
