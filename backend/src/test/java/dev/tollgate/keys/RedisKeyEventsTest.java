// Why: key events are only as good as the subscription that carries them: every replica (the publisher included)
// must receive them, and a replica whose pub/sub connection drops must resubscribe by itself. Runs on the tests'
// Redis; the channel is shared, so each check waits for its own unique event and kills only its own connection.
package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.Await;
import dev.tollgate.support.ExternalServices;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisKeyEventsTest {
    private final List<RedisClient> clients = new CopyOnWriteArrayList<>();

    /** A replica's events on a client of its own, named so its connections can be found in CLIENT LIST. */
    private RedisKeyEvents replica(String name, List<KeyEvent> received) {
        RedisURI uri = RedisURI.create(ExternalServices.redis());
        uri.setClientName(name);
        RedisClient client = RedisClient.create(uri);
        clients.add(client);
        RedisKeyEvents events = new RedisKeyEvents(client.connect(), client.connectPubSub());
        events.subscribe(received::add);
        return events;
    }

    @AfterEach
    void close() {
        clients.forEach(RedisClient::shutdown);
    }

    @Test
    void anEventReachesThePublisherAtOnceAndEveryOtherReplica() {
        List<KeyEvent> onA = new CopyOnWriteArrayList<>();
        List<KeyEvent> onB = new CopyOnWriteArrayList<>();
        RedisKeyEvents a = replica("tollgate-test-a-" + System.nanoTime(), onA);
        replica("tollgate-test-b-" + System.nanoTime(), onB);
        KeyEvent event = KeyEvent.tenant("ten_events_" + System.nanoTime());
        a.publish(event);
        assertThat(onA).contains(event);
        Await.until("B receives the event", Duration.ofSeconds(2), () -> onB.contains(event));
    }

    @Test
    void aReplicaResubscribesAfterItsConnectionIsKilled() {
        String name = "tollgate-test-killed-" + System.nanoTime();
        List<KeyEvent> onB = new CopyOnWriteArrayList<>();
        replica(name, onB);
        RedisClient admin = RedisClient.create(ExternalServices.redis());
        clients.add(admin);
        StatefulRedisConnection<String, String> commands = admin.connect();
        List<String> ids = commands.sync().clientList().lines().filter(l -> l.contains(" name=" + name + " "))
                .filter(l -> l.contains(" sub=1 ")).map(l -> l.substring(3, l.indexOf(' '))).toList();
        assertThat(ids).as("B's subscribed connection").hasSize(1);
        assertThat(commands.sync().clientKill(KillArgs.Builder.id(Long.parseLong(ids.get(0))))).isEqualTo(1L);
        // events published while B reconnects are lost (the cache TTL covers them); publish until one arrives
        KeyEvent event = KeyEvent.key("hash_" + System.nanoTime());
        Await.until("B receives an event after reconnecting", Duration.ofSeconds(10), () -> {
            commands.sync().publish(RedisKeyEvents.CHANNEL, event.wire());
            return onB.contains(event);
        });
    }
}
