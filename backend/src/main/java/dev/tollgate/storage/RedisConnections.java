// Why: in production mode the shared limit state lives in Redis; one Lettuce connection (thread-safe,
// pipelined) serves the whole process. In embedded mode there is none and nothing else changes.
package dev.tollgate.storage;

import dev.tollgate.config.Settings;
import dev.tollgate.limits.LimitProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

@Singleton
public class RedisConnections {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public RedisConnections(Settings settings, LimitProperties limits) {
        if (settings.redisUrl() == null) {
            client = null;
            connection = null;
        } else {
            RedisURI uri = RedisURI.create(settings.redisUrl());
            // the limit engine applies its own (shorter) deadline and fail mode; this only bounds a lost reply
            uri.setTimeout(limits.getTimeout().multipliedBy(4));
            client = RedisClient.create(uri);
            // While disconnected, fail commands at once (the limit engine's fail mode decides) instead of queueing
            // them until a timeout; Lettuce reconnects in the background and commands flow again when Redis is back.
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            connection = client.connect(ExactUtf8Codec.INSTANCE);
        }
    }

    /** The shared connection, or empty in embedded mode. */
    public Optional<StatefulRedisConnection<String, String>> connection() {
        return Optional.ofNullable(connection);
    }

    /**
     * A new connection of its own for pub/sub (a subscribed connection can run no other command), or empty in
     * embedded mode. It reconnects like the shared one and resubscribes its channels when it does.
     */
    public Optional<StatefulRedisPubSubConnection<String, String>> connectPubSub() {
        return Optional.ofNullable(client).map(c -> c.connectPubSub(ExactUtf8Codec.INSTANCE));
    }

    @PreDestroy
    void close() {
        if (connection != null) {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
