// Why: in production mode the shared limit state lives in Redis; one Lettuce connection (thread-safe,
// pipelined) serves the whole process. In embedded mode there is none and nothing else changes.
package dev.tollgate.storage;

import dev.tollgate.config.Settings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

@Singleton
public class RedisConnections {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public RedisConnections(Settings settings) {
        if (settings.redisUrl() == null) {
            client = null;
            connection = null;
        } else {
            RedisURI uri = RedisURI.create(settings.redisUrl());
            uri.setTimeout(Duration.ofMillis(250));
            client = RedisClient.create(uri);
            connection = client.connect();
        }
    }

    /** The shared connection, or empty in embedded mode. */
    public Optional<StatefulRedisConnection<String, String>> connection() {
        return Optional.ofNullable(connection);
    }

    @PreDestroy
    void close() {
        if (connection != null) {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
