// Why: the contract's promise that a revoked, rotated-out or disabled key is refused by every replica within 2 s,
// shown on two gateway processes from the built jar sharing one Postgres and one Redis: the change is made on A
// and B, whose cache holds the key, must refuse it (timed and printed); a rotation's grace ends on B to the
// second; and B writes its keys' last use when it shuts down gracefully.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.keys.RedisKeyEvents;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminClient.NewKey;
import dev.tollgate.support.Await;
import dev.tollgate.support.Cutoff;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.Replica;
import dev.tollgate.support.TestGateway;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyEventsAcrossReplicasIT {
    private static final Duration CONTRACT = Duration.ofSeconds(2);
    private MockUpstream mock;
    private Replica a;
    private Replica b;
    private AdminClient admin;
    private RedisClient redisClient;
    private StatefulRedisPubSubConnection<String, String> listener;
    /** Every message seen on the key-event channel. */
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        String redisUrl = ExternalServices.redis();
        mock = MockUpstream.start(new MockConfig().port(0).tokens(3).delayMs(0));
        // last uses are written only at shutdown here, so the last test sees exactly what the shutdown wrote
        Map<String, String> env = Map.of("DATABASE_URL", ExternalServices.freshDatabase(), "REDIS_URL", redisUrl,
                "OLLAMA_URL", mock.baseUrl(), "TOLLGATE_LAST_USED_FLUSH", "10m");
        a = Replica.start(env);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<Replica> second = starter.submit(() -> Replica.start(env));
        b = second.get(120, TimeUnit.SECONDS);
        starter.shutdown();
        admin = new AdminClient(a.adminUrl(), TestGateway.PASSWORD);
        redisClient = RedisClient.create(redisUrl);
        listener = redisClient.connectPubSub();
        listener.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                messages.add(message);
            }
        });
        listener.sync().subscribe(RedisKeyEvents.CHANNEL);
    }

    @AfterAll
    void stop() {
        for (Replica r : new Replica[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
        if (listener != null) {
            listener.close();
            redisClient.shutdown();
        }
        if (mock != null) {
            mock.close();
        }
    }

    /** 200 when {@code replica} accepts the key, 401 when it refuses it (an authenticated listing). */
    private int status(Replica replica, String key) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(replica.proxyUrl() + "/v1/models"))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode call(String method, String path, String body, int status) {
        HttpResponse<String> r = admin.call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return AdminClient.json(r.body());
    }

    /** Polls B until it refuses {@code key}; answers the time from {@code changed} to that refusal. */
    private Duration refusedOnB(String key, long changed) {
        Await.until("B refuses the key", Duration.ofSeconds(5), () -> status(b, key) == 401);
        return Duration.ofNanos(System.nanoTime() - changed);
    }

    @Test
    @Order(1)
    void aKeyRevokedOnAIsRefusedOnBWithinTwoSeconds() {
        NewKey k = admin.keyWithLimits("null", "null");
        assertThat(status(b, k.key())).isEqualTo(200);
        assertThat(status(a, k.key())).isEqualTo(200);
        int before = messages.size();
        call("POST", "/keys/" + k.keyId() + "/revoke", null, 200);
        long revoked = System.nanoTime();
        Duration took = refusedOnB(k.key(), revoked);
        System.out.println("KeyEventsAcrossReplicasIT: revoked on A, refused on B after " + took.toMillis() + " ms");
        assertThat(took).isLessThanOrEqualTo(CONTRACT);
        assertThat(status(a, k.key())).isEqualTo(401);
        Await.until("the event on " + RedisKeyEvents.CHANNEL, CONTRACT,
                () -> messages.subList(before, messages.size()).stream().anyMatch(m -> m.startsWith("key:")));
    }

    @Test
    @Order(2)
    void aKeyRotatedOnAWorksOnBUntilItsGraceEndsAndTheNewOneThroughout() {
        NewKey k = admin.keyWithLimits("null", "null");
        assertThat(status(b, k.key())).isEqualTo(200);
        JsonNode fresh = call("POST", "/keys/" + k.keyId() + "/rotate", "{\"grace_seconds\":3}", 201);
        String newKey = fresh.path("key").asText();
        Instant end = Instant.parse(call("GET", "/keys/" + k.keyId(), null, 200).path("revoked_at").asText());
        Duration late = Cutoff.refusedAfter(end, Duration.ofSeconds(8), () -> status(b, k.key()),
                () -> assertThat(status(b, newKey)).as("the new key on B").isEqualTo(200));
        System.out.println("KeyEventsAcrossReplicasIT: grace ended at " + end + ", refused on B " + late.toMillis() + " ms later");
        assertThat(late).isLessThan(Duration.ofSeconds(1));
        assertThat(status(a, k.key())).isEqualTo(401);
        assertThat(status(b, newKey)).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aTenantDisabledOnAIsRefusedOnBWithinTwoSeconds() {
        NewKey k = admin.keyWithLimits("null", "null");
        NewKey second = admin.keyFor(k.tenantId(), "null");
        assertThat(List.of(status(b, k.key()), status(b, second.key()))).containsOnly(200);
        call("PATCH", "/tenants/" + k.tenantId(), "{\"disabled\":true}", 200);
        long disabled = System.nanoTime();
        Duration took = refusedOnB(k.key(), disabled);
        System.out.println("KeyEventsAcrossReplicasIT: tenant disabled on A, refused on B after " + took.toMillis() + " ms");
        assertThat(took).isLessThanOrEqualTo(CONTRACT);
        assertThat(status(b, second.key())).isEqualTo(401);
        assertThat(messages).contains("tenant:" + k.tenantId());
        call("PATCH", "/tenants/" + k.tenantId(), "{\"disabled\":false}", 200);
        Await.until("B accepts the re-enabled tenant's key", CONTRACT, () -> status(b, k.key()) == 200);
    }

    @Test
    @Order(4)
    void aGracefulShutdownWritesTheLastUseOfItsKeys() {
        NewKey k = admin.keyWithLimits("null", "null");
        Instant first = Instant.now();
        for (int i = 0; i < 5; i++) {
            assertThat(status(b, k.key())).isEqualTo(200);
        }
        Instant last = Instant.now();
        assertThat(call("GET", "/keys/" + k.keyId(), null, 200).path("last_used_at").isNull()).isTrue();
        b.close();
        Instant used = Instant.parse(call("GET", "/keys/" + k.keyId(), null, 200).path("last_used_at").asText());
        assertThat(used).isBetween(first, last);
    }
}
