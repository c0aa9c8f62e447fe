// Why: the product's promise: a limit is a limit on any number of replicas, streaming or not. Three gateway
// processes share one Postgres and one Redis; 200 concurrent requests (both dialects, streaming and not) hit a key
// with small limits, and the counts must be exact, in-flight must never pass the concurrency limit, settled usage
// must stay within the limits, and every slot must be released at the end.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminClient.NewKey;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.Replica;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiReplicaLimitsIT {
    private static final int REQUESTS = 200;
    private MockUpstream mock;
    private final List<Replica> replicas = new ArrayList<>();
    private AdminClient admin;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(16)).build();
    private final List<String> tenants = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        String database = ExternalServices.freshDatabase();
        String redisUrl = ExternalServices.redis();
        mock = MockUpstream.start(new MockConfig().port(0).tokens(3).delayMs(0));
        // Three JVMs, the mock and 200 client connections share two cores here: under that burst a Redis answer can
        // take longer than the 250 ms default, and fail mode closed would (correctly) turn it into a 503. This test
        // is about exactness, so it gives admissions more time; RedisOutageIT checks the 250 ms.
        Map<String, String> env = Map.of("DATABASE_URL", database, "REDIS_URL", redisUrl, "OLLAMA_URL", mock.baseUrl(),
                "TOLLGATE_DEFAULT_MAX_TOKENS", "20", "TOLLGATE_LIMITS_TIMEOUT", "3s");
        // the first replica runs the migrations and gets the price list; the other two start side by side with it
        replicas.add(Replica.start(env));
        admin = new AdminClient(replicas.get(0).adminUrl(), dev.tollgate.support.TestGateway.PASSWORD);
        // 1 USD per million input tokens = 1 micro-dollar per token, 2 per output token
        assertThat(admin.call("PUT", "/pricing", "{\"llama3.2\":{\"input_per_mtok\":1,\"output_per_mtok\":2}}").statusCode())
                .isEqualTo(200);
        ExecutorService starter = Executors.newFixedThreadPool(2);
        List<Future<Replica>> more = List.of(starter.submit(() -> Replica.start(env)), starter.submit(() -> Replica.start(env)));
        for (Future<Replica> f : more) {
            replicas.add(f.get(120, TimeUnit.SECONDS));
        }
        starter.shutdown();
        redisClient = RedisClient.create(redisUrl);
        redis = redisClient.connect();
        // warm every replica's request path (JIT, pools, key cache) with a key that has a limit
        NewKey warm = admin.keyWithLimits("null", "{\"rpm\":100000}");
        for (int i = 0; i < 60; i++) {
            assertThat(http.send(request(i, warm.key()), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
    }

    @AfterAll
    void stop() {
        replicas.forEach(Replica::close);
        if (redis != null) {
            redis.close();
            redisClient.shutdown();
        }
        if (mock != null) {
            mock.close();
        }
    }

    /** Settlement runs when each response has ended, so it may trail the last response by a moment. */
    @AfterEach
    void everySlotIsReleased() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (String tenant : tenants) {
            while (!keys("{t:" + tenant + "}:res:*").isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(keys("{t:" + tenant + "}:res:*")).as("unsettled reservations").isEmpty();
            for (String key : keys("{t:" + tenant + "}:l:*")) {
                assertThat(redis.sync().zcard(key)).as("leases left in %s", key).isZero();
            }
        }
        tenants.clear();
    }

    private List<String> keys(String pattern) {
        List<String> found = new ArrayList<>();
        io.lettuce.core.KeyScanCursor<String> cursor = redis.sync().scan(ScanArgs.Builder.matches(pattern).limit(1000));
        found.addAll(cursor.getKeys());
        while (!cursor.isFinished()) {
            cursor = redis.sync().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
            found.addAll(cursor.getKeys());
        }
        return found;
    }

    private NewKey key(String limits) {
        NewKey k = admin.keyWithLimits("null", limits);
        tenants.add(k.tenantId());
        return k;
    }

    /** Request i: both dialects, streaming and not, spread over the replicas; prompt of 4 words, 20 tokens out. */
    private HttpRequest request(int i, String key) {
        String base = replicas.get(i % replicas.size()).proxyUrl();
        boolean stream = i % 2 == 0;
        boolean ollama = (i / 2) % 2 == 0;
        String body = ollama
                ? "{\"model\":\"llama3.2\",\"stream\":" + stream + ",\"options\":{\"num_predict\":20},\"messages\":[{\"role\":\"user\",\"content\":\"four words of prompt\"}]}"
                : "{\"model\":\"llama3.2\",\"stream\":" + stream + ",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"four words of prompt\"}]}";
        return HttpRequest.newBuilder(URI.create(base + (ollama ? "/api/chat" : "/v1/chat/completions")))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Sends all requests at once (after a start latch) and answers their statuses. */
    private List<Integer> burst(String key) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            HttpRequest r = request(i, key);
            int index = i;
            statuses.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).thenCompose(v -> http.sendAsync(r, HttpResponse.BodyHandlers.ofString())).thenApply(resp -> {
                if (resp.statusCode() != 200 && resp.statusCode() != 429) {
                    System.err.println("request " + index + ": " + resp.statusCode() + " " + resp.body());
                }
                return resp.statusCode();
            }));
        }
        go.countDown();
        List<Integer> out = new ArrayList<>();
        for (CompletableFuture<Integer> s : statuses) {
            out.add(s.get(120, TimeUnit.SECONDS));
        }
        return out;
    }

    private static Map<Integer, Long> histogram(List<Integer> statuses) {
        return statuses.stream().collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    private static long count(List<Integer> statuses, int status) {
        return statuses.stream().filter(s -> s == status).count();
    }

    /** The burst's outcome for a fresh key of some limits: the key, how many requests were admitted, all statuses. */
    private record Admitted(NewKey key, long count, Map<Integer, Long> statuses) {
        /** What a failed assertion about the mock's counts prints: the statuses and the mock's counters. */
        String seen(MockUpstream mock) {
            return "statuses " + statuses + ", mock " + mock.stats();
        }
    }

    /** Sends the burst (mock delay per token {@code delayMs}); every answer must be a 200 or a 429. */
    private Admitted admittedBurst(String limits, long delayMs) throws Exception {
        mock.config().delayMs(delayMs);
        mock.resetStats();
        NewKey k = key(limits);
        List<Integer> statuses = burst(k.key());
        long admitted = count(statuses, 200);
        assertThat(admitted + count(statuses, 429)).as("statuses %s", histogram(statuses)).isEqualTo(REQUESTS);
        assertThat(admitted).isPositive();
        return new Admitted(k, admitted, histogram(statuses));
    }

    @Test
    void exactlyRpmRequestsAreAdmittedAcrossThreeReplicas() throws Exception {
        Admitted a = admittedBurst("{\"rpm\":50}", 0);
        assertThat(a.count()).as(a.seen(mock)).isEqualTo(50); // and so 150 refused with 429
        assertThat(mock.stats().modelCalls()).as(a.seen(mock)).isEqualTo(50);
    }

    @Test
    void inFlightNeverExceedsTheConcurrencyLimit() throws Exception {
        Admitted a = admittedBurst("{\"concurrency\":5}", 10);
        assertThat(a.count()).as(a.seen(mock)).isGreaterThanOrEqualTo(5);
        assertThat(mock.stats().maxInFlight()).as(a.seen(mock)).isBetween(1L, 5L);
        // every admitted request reached the mock once, and no refused one did
        assertThat(mock.stats().modelCalls()).as(a.seen(mock)).isEqualTo(a.count());
    }

    @Test
    void aLimitChangedOnOneReplicaHoldsOnEveryReplicaWithinTwoSeconds() throws Exception {
        mock.config().delayMs(0);
        NewKey k = key("null");
        for (int i = 0; i < replicas.size(); i++) {
            // every replica has the key, without limits, in its cache
            assertThat(http.send(request(i * 4 + 1, k.key()), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        assertThat(admin.call("PATCH", "/keys/" + k.keyId(), "{\"limits\":{\"daily_requests\":0}}").statusCode()).isEqualTo(200);
        long changed = System.nanoTime();
        for (int i = 0; i < replicas.size(); i++) {
            int status;
            do {
                status = http.send(request(i * 4 + 1, k.key()), HttpResponse.BodyHandlers.discarding()).statusCode();
            } while (status == 200 && System.nanoTime() - changed < TimeUnit.SECONDS.toNanos(5));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
            assertThat(status).as("replica %d", i).isEqualTo(429);
            // cached keys live at most 2 s; the rest is the polling request's own time
            assertThat(tookMs).as("replica %d refused after %d ms", i, tookMs).isLessThanOrEqualTo(2_250);
        }
    }

    /** The sum of a meter's counters (all buckets of a sliding window) in Redis. */
    private long counted(NewKey k, String meter) {
        List<String> counters = keys("{t:" + k.tenantId() + "}:c:k:" + k.keyId() + ":" + meter + ":*");
        assertThat(counters).as("counters of %s", meter).isNotEmpty();
        // calendar windows are one counter; a sliding window is a hash of buckets (and its '_sum' and '_low')
        return counters.stream().mapToLong(c -> "hash".equals(redis.sync().type(c))
                ? redis.sync().hgetall(c).entrySet().stream().filter(e -> !e.getKey().startsWith("_"))
                        .mapToLong(e -> Long.parseLong(e.getValue())).sum()
                : Long.parseLong(redis.sync().get(c))).sum();
    }

    @Test
    void settledTokensNeverExceedTheLimits() throws Exception {
        Admitted a = admittedBurst("{\"daily_tokens\":1000,\"tpm\":800}", 1);
        // every admitted request used exactly 4 prompt + 20 output tokens (the mock's counts), and settled to that
        assertThat(counted(a.key(), "daily_tokens")).isEqualTo(a.count() * 24).isLessThanOrEqualTo(1000);
        assertThat(counted(a.key(), "tpm")).isEqualTo(a.count() * 24).isLessThanOrEqualTo(800);
    }

    @Test
    void settledCostNeverExceedsTheBudget() throws Exception {
        Admitted a = admittedBurst("{\"budget\":{\"amount\":0.001,\"currency\":\"USD\",\"window\":\"daily\"}}", 1);
        // each admitted request cost 4 prompt tokens x 1 + 20 output tokens x 2 = 44 micro-dollars, settled exactly
        assertThat(counted(a.key(), "budget")).isEqualTo(a.count() * 44).isLessThanOrEqualTo(1000);
    }
}
