// Why: replicas that share Redis learn of a revocation or a key or tenant change within milliseconds through one
// pub/sub channel, so a revoked key is refused everywhere long before its cache entry would expire. A message
// lost while Redis is unreachable is covered by the cache's TTL (at most 2 s), so nothing here waits or retries.
package dev.tollgate.keys;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes on {@link #CHANNEL} and delivers what every replica (this one included) publishes there. */
public class RedisKeyEvents extends LocalKeyEvents implements AutoCloseable {
    /** Not a hash-tagged key: pub/sub channels are cluster-wide. */
    public static final String CHANNEL = "tollgate:keys";
    private static final Logger LOG = LoggerFactory.getLogger(RedisKeyEvents.class);
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> subscription;

    /** Subscribes at once (blocking, at start-up); Lettuce resubscribes by itself after a reconnect. */
    public RedisKeyEvents(StatefulRedisConnection<String, String> commands,
                          StatefulRedisPubSubConnection<String, String> subscription) {
        this.commands = commands;
        this.subscription = subscription;
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (CHANNEL.equals(channel)) {
                    KeyEvent.parse(message).ifPresentOrElse(RedisKeyEvents.this::deliver,
                            () -> LOG.warn("keys: ignoring an unknown message on {}", CHANNEL));
                }
            }
        });
        subscription.sync().subscribe(CHANNEL);
    }

    /** This replica drops the entry before anything is sent, so it never depends on Redis for its own changes. */
    @Override
    public void publish(KeyEvent event) {
        deliver(event);
        commands.async().publish(CHANNEL, event.wire()).exceptionally(e -> {
            LOG.warn("keys: could not tell other replicas of {} ({}); their caches expire it within the TTL",
                    event.wire(), e.getMessage());
            return 0L;
        });
    }

    @Override
    public void close() {
        subscription.close();
    }
}
