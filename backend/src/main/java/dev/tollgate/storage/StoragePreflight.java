// Why: an unreachable or misconfigured database or Redis must stop start-up with one line, before the
// framework starts and buries the cause in a stack trace.
package dev.tollgate.storage;

import dev.tollgate.config.DatabaseUrl;
import dev.tollgate.config.ErrorText;
import dev.tollgate.config.StartupException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

/** Connectivity checks run once at start-up. */
public final class StoragePreflight {
    private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

    private StoragePreflight() {
    }

    public static void checkDatabase(DatabaseUrl url) {
        Properties props = new Properties();
        if (url.username() != null) {
            props.setProperty("user", url.username());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw StartupException.badVariable("DATABASE_URL", "cannot connect (" + ErrorText.firstLine(e) + ")");
        }
    }

    public static void checkRedis(URI url) {
        RedisClient client;
        try {
            RedisURI redisUri = RedisURI.create(url);
            redisUri.setTimeout(Duration.ofSeconds(3));
            client = RedisClient.create(redisUri);
        } catch (RuntimeException e) {
            throw StartupException.badVariable("REDIS_URL", "is not a valid Redis URL (" + ErrorText.firstLine(e) + ")");
        }
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().ping();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw StartupException.badVariable("REDIS_URL", "cannot connect to " + url.getHost() + ":"
                    + (url.getPort() > 0 ? url.getPort() : 6379) + " (" + withoutSystemCall(ErrorText.firstLine(cause)) + ")");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** Netty's epoll transport names the failed system call: "finishConnect(..) failed with error(-111): Connection refused". */
    static String withoutSystemCall(String message) {
        return NATIVE_CALL.matcher(message).replaceFirst("");
    }
}
