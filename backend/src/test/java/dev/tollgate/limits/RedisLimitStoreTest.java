// Why: the Redis store passes the shared LimitStore contract against a real Redis (REDIS_URL), and keeps the
// Redis-only promises: every key expires, one tenant's keys share one Cluster slot, a flushed script cache heals, and
// a peek writes nothing.
package dev.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limits.Admission.Admitted;
import dev.tollgate.limits.Meter.Quantity;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import dev.tollgate.support.LocalRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Needs {@code REDIS_URL} (e.g. {@code redis://127.0.0.1:6379/0}); skipped without it. Never flushes data. */
class RedisLimitStoreTest extends LimitStoreContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final AtomicLong IDS = new AtomicLong();
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        connection = LocalRedis.connectionOrSkip();
    }

    @Override
    protected LimitStore newStore() {
        return new RedisLimitStore(connection, ZONE);
    }

    private static RedisCommands<String, String> redis() {
        return connection.sync();
    }

    private String prefix() {
        return "{t:" + tenant + "}:";
    }

    private static String newId() {
        return "req_redis_" + IDS.incrementAndGet();
    }

    private Admission admit(String id, List<Meter> meters, long tokens, long micros, Instant now) {
        return store.admit(new AdmissionRequest(id, tenant, meters, tokens, micros, LEASE, now))
                .toCompletableFuture().join();
    }

    private void settle(String id, long tokens, long micros, boolean measured, Instant now) {
        store.settle(new Settlement(id, tenant, tokens, micros, measured, now)).toCompletableFuture().join();
    }

    private Set<String> tenantKeys() {
        Set<String> keys = new TreeSet<>();
        ScanIterator.scan(redis(), ScanArgs.Builder.matches("{t:" + tenant + "}*").limit(500)).forEachRemaining(keys::add);
        return keys;
    }

    /** A sliding window hash's buckets (its fields without admit.lua's bookkeeping fields {@code _sum}, {@code _low}). */
    private static List<String> buckets(String hash) {
        return redis().hkeys(hash).stream().filter(f -> !f.startsWith("_")).toList();
    }

    private static List<Meter> allKinds() {
        return List.of(
                new Meter("t", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 100),
                new Meter("t", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 100_000),
                new Meter("k:a", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 100_000),
                new Meter("k:a", "monthly_requests", Quantity.REQUESTS, WindowKind.MONTHLY, 100),
                new Meter("t", "budget", Quantity.MICROS, WindowKind.H5, 50_000_000),
                new Meter("k:a", "budget", Quantity.MICROS, WindowKind.TOTAL, 50_000_000),
                new Meter("k:a", "concurrency", Quantity.CONCURRENCY, null, 3));
    }

    @Test
    void everyKeyExpiresAndOneTenantStaysInOneSlot() {
        List<Meter> meters = allKinds();
        String measured = newId();
        String unmeasured = newId();
        String pending = newId();
        assertThat(admit(measured, meters, 100, 2_000, T0)).isInstanceOf(Admitted.class);
        assertThat(admit(unmeasured, meters, 100, 2_000, T0.plusSeconds(1))).isInstanceOf(Admitted.class);
        assertThat(admit(pending, meters, 100, 2_000, T0.plusSeconds(2))).isInstanceOf(Admitted.class);
        settle(measured, 40, 1_000, true, T0.plusSeconds(3));
        settle(unmeasured, 0, 0, false, T0.plusSeconds(3));
        settle("req_never_admitted", 1, 1, true, T0.plusSeconds(3));
        // a refusal (by a spent total budget) writes nothing
        Meter spent = new Meter("k:b", "budget", Quantity.MICROS, WindowKind.TOTAL, 10);
        assertThat(admit(newId(), List.of(meters.get(0), spent), 0, 11, T0.plusSeconds(4)))
                .isInstanceOf(Admission.Refused.class);

        Set<String> keys = tenantKeys();
        String p = prefix();
        long epoch = T0.getEpochSecond();
        assertThat(keys).contains(
                p + "c:t:rpm:s60", p + "c:t:tpm:s60",
                p + "c:k:a:daily_tokens:d20261123", p + "c:k:a:monthly_requests:m202611",
                p + "c:t:budget:h5", p + "c:k:a:budget:total",
                p + "l:k:a:concurrency", p + "res:" + pending);
        // a sliding window is one hash of buckets, named by their start (epoch seconds)
        assertThat(buckets(p + "c:t:rpm:s60")).containsExactlyInAnyOrder(
                Long.toString(epoch), Long.toString(epoch + 1), Long.toString(epoch + 2));
        assertThat(buckets(p + "c:t:budget:h5")).containsExactly(Long.toString(epoch - epoch % 300));
        assertThat(keys).doesNotContain(p + "res:" + measured, p + "res:" + unmeasured,
                p + "c:k:b:budget:total");
        int slot = SlotHash.getSlot(p + "res:" + pending);
        for (String key : keys) {
            assertThat(key).startsWith(p);
            assertThat(SlotHash.getSlot(key)).as("slot of %s", key).isEqualTo(slot);
            assertThat(redis().ttl(key)).as("TTL of %s", key).isPositive();
        }
        assertThat(redis().ttl(p + "res:" + pending)).isBetween(1L, 30L);
        assertThat(redis().ttl(p + "l:k:a:concurrency")).isBetween(1L, 30L);
        assertThat(redis().ttl(p + "c:k:a:budget:total")).isGreaterThan(Windows.TOTAL_TTL_SECONDS - 60);
        assertThat(redis().zrange(p + "l:k:a:concurrency", 0, -1)).containsExactly(pending);
        // measured: 40 tokens (reserved 100) and 1000 micros (reserved 2000); unmeasured and pending keep theirs
        assertThat(redis().get(p + "c:k:a:daily_tokens:d20261123")).isEqualTo("240");
        assertThat(redis().get(p + "c:k:a:budget:total")).isEqualTo("5000");
        assertThat(redis().get(p + "c:k:a:monthly_requests:m202611")).isEqualTo("3");
    }

    /**
     * The window totals admit.lua keeps (a sliding hash's {@code _sum}, no bucket older than its {@code _low}) answer
     * exactly as reading every bucket does. A random run of admissions (amounts 0 to 40 tokens, time moving on by 0 s to
     * 4 min, now and then a request that read the time up to a second before the one ahead of it) and of settlements
     * (up, down, unmeasured; within the lease, as Redis expires reservations in real time, not in the test's) gets the
     * same answer at every step from this store as from the in-process one, and after every step each hash's total is
     * the sum of its buckets, none older than its low mark, and the hash expires.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void windowTotalsAnswerAsReadingEveryBucketDoes(long seed) {
        Random random = new Random(seed);
        LimitStore reference = new InProcessLimitStore(ZONE);
        List<Meter> meters = List.of(
                new Meter("t", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 40),
                new Meter("t", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 1_200),
                new Meter("k:a", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 1_000),
                new Meter("k:a", "budget", Quantity.MICROS, WindowKind.H5, 45_000));
        Instant now = T0;
        Map<String, Instant> open = new java.util.LinkedHashMap<>();
        int admitted = 0;
        int refused = 0;
        for (int step = 0; step < 400; step++) {
            int dice = random.nextInt(100);
            now = now.plusMillis(dice < 70 ? random.nextInt(1_500) : dice < 85 ? random.nextInt(30_000)
                    : dice < 95 ? 59_000 + random.nextInt(3_000) : 60_000 + random.nextInt(180_000));
            Instant at = random.nextInt(10) == 0 ? now.minusMillis(random.nextInt(1_000)) : now;
            Instant leaseLeft = now.minus(LEASE).plusSeconds(5);
            open.values().removeIf(admittedAt -> admittedAt.isBefore(leaseLeft));
            if (!open.isEmpty() && random.nextInt(3) == 0) {
                String id = new ArrayList<>(open.keySet()).get(random.nextInt(open.size()));
                open.remove(id);
                Settlement settled = new Settlement(id, tenant, random.nextInt(60), random.nextInt(600),
                        random.nextInt(4) != 0, at);
                store.settle(settled).toCompletableFuture().join();
                reference.settle(settled).toCompletableFuture().join();
            } else {
                AdmissionRequest request = new AdmissionRequest(newId(), tenant, meters, random.nextInt(41),
                        random.nextInt(401), LEASE, at);
                Admission expected = reference.admit(request).toCompletableFuture().join();
                assertThat(store.admit(request).toCompletableFuture().join()).as("step %d at %s", step, at)
                        .isEqualTo(expected);
                if (expected instanceof Admitted) {
                    open.put(request.requestId(), at);
                    admitted++;
                } else {
                    refused++;
                }
            }
            for (String key : tenantKeys()) {
                if (key.startsWith(prefix() + "c:") && "hash".equals(redis().type(key))) { // a sliding window
                    assertTotalIsTheBuckets(key, step);
                }
            }
        }
        assertThat(admitted).as("admitted (refused: %d)", refused).isGreaterThan(100);
        assertThat(refused).as("refused (admitted: %d)", admitted).isGreaterThan(20);
    }

    /**
     * A request that read the time more than a window before the one ahead of it (its current bucket is older than the
     * hash's low mark) is counted by reading every bucket, as is the first request after the window moved on by more
     * than its length; the newer bucket counts as the current one, and the total stays the sum of the buckets.
     */
    @Test
    void aRequestFarBehindTheOneAheadOfItIsCountedByReadingEveryBucket() {
        Meter tpm = new Meter("k:a", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 1_000);
        String hash = prefix() + "c:k:a:tpm:s60";
        long t0 = T0.getEpochSecond();
        assertThat(used(admit(newId(), List.of(tpm), 10, 0, T0.plusSeconds(100)))).isEqualTo(10);
        assertThat(used(admit(newId(), List.of(tpm), 5, 0, T0.plusSeconds(20)))).isEqualTo(15);
        assertThat(buckets(hash)).containsExactlyInAnyOrder(Long.toString(t0 + 20), Long.toString(t0 + 100));
        assertTotalIsTheBuckets(hash, 2);
        // 81 buckets after the low mark the second request left: its bucket is found and deleted by a full read
        assertThat(used(admit(newId(), List.of(tpm), 1, 0, T0.plusSeconds(101)))).isEqualTo(11);
        assertThat(buckets(hash)).containsExactlyInAnyOrder(Long.toString(t0 + 100), Long.toString(t0 + 101));
        assertTotalIsTheBuckets(hash, 3);
        // and from the bookkeeping again: the bucket of T0 + 100 counts until T0 + 161
        assertThat(used(admit(newId(), List.of(tpm), 2, 0, T0.plusSeconds(160)))).isEqualTo(13);
        assertThat(used(admit(newId(), List.of(tpm), 3, 0, T0.plusSeconds(161)))).isEqualTo(6);
        assertThat(buckets(hash)).containsExactlyInAnyOrder(
                Long.toString(t0 + 101), Long.toString(t0 + 160), Long.toString(t0 + 161));
        assertTotalIsTheBuckets(hash, 4);
    }

    /**
     * A hash written before the total was kept has buckets and no {@code _low} (and, if a settlement touched it since,
     * a {@code _sum} of that settlement's difference alone): admission reads it whole and writes both fields again.
     */
    @Test
    void aHashWithoutALowMarkIsReadWholeAndGetsItsTotal() {
        Meter tpm = new Meter("k:a", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 1_000);
        String hash = prefix() + "c:k:a:tpm:s60";
        long t0 = T0.getEpochSecond();
        redis().hset(hash, Map.of(Long.toString(t0 - 90), "500", Long.toString(t0 - 30), "300",
                Long.toString(t0 - 1), "200", "_sum", "-40"));
        redis().expire(hash, 120);
        assertThat(used(admit(newId(), List.of(tpm), 10, 0, T0))).isEqualTo(510);
        assertThat(buckets(hash)).containsExactlyInAnyOrder(
                Long.toString(t0 - 30), Long.toString(t0 - 1), Long.toString(t0));
        assertThat(redis().hget(hash, "_low")).isEqualTo(Long.toString(t0 - 60));
        assertTotalIsTheBuckets(hash, 1);
    }

    private static long used(Admission admission) {
        return ((Admitted) admission).meters().get(0).used();
    }

    private static void assertTotalIsTheBuckets(String hash, int step) {
        Map<String, String> fields = redis().hgetall(hash);
        long low = Long.parseLong(fields.get("_low"));
        long sum = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (!field.getKey().startsWith("_")) {
                assertThat(Long.parseLong(field.getKey())).as("bucket of %s at step %d", hash, step)
                        .isGreaterThanOrEqualTo(low);
                sum += Long.parseLong(field.getValue());
            }
        }
        assertThat(Long.parseLong(fields.get("_sum"))).as("total of %s at step %d", hash, step).isEqualTo(sum);
        assertThat(redis().ttl(hash)).as("TTL of %s", hash).isPositive();
    }

    @Test
    void bucketsThatLeaveASlidingWindowAreDeletedAndNotRecreatedBySettlement() {
        Meter tpm = new Meter("k:a", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 1_000);
        String first = newId();
        assertThat(admit(first, List.of(tpm), 100, 0, T0)).isInstanceOf(Admitted.class);
        // 90 s later T0's bucket has left the window: the next admission finds and deletes it
        assertThat(admit(newId(), List.of(tpm), 100, 0, T0.plusSeconds(90))).isInstanceOf(Admitted.class);
        String hash = prefix() + "c:k:a:tpm:s60";
        assertThat(buckets(hash)).containsExactly(Long.toString(T0.getEpochSecond() + 90));
        // the first request settles late: its bucket is gone and stays gone
        settle(first, 10, 0, true, T0.plusSeconds(91));
        assertThat(buckets(hash)).containsExactly(Long.toString(T0.getEpochSecond() + 90));
        assertThat(redis().hget(hash, Long.toString(T0.getEpochSecond() + 90))).isEqualTo("100");
    }

    @Test
    void anOlderBucketCreatedLateDoesNotShortenTheHashsLife() {
        // 5 h budget in 5 min buckets: a request just after a bucket boundary creates the newer bucket first, then one
        // that read the time a millisecond before the boundary creates the older one
        Meter budget = new Meter("k:a", "budget", Quantity.MICROS, WindowKind.H5, 50_000_000);
        Instant boundary = T0.plusSeconds(300);
        assertThat(admit(newId(), List.of(budget), 0, 10, boundary)).isInstanceOf(Admitted.class);
        String hash = prefix() + "c:k:a:budget:h5";
        long newer = redis().ttl(hash);
        // the newer bucket counts until its end leaves the window: a bucket and 5 h from the boundary, plus grace
        assertThat(newer).isGreaterThanOrEqualTo(300 + 5 * 3600 + Windows.GRACE_SECONDS - 1);
        assertThat(admit(newId(), List.of(budget), 0, 10, boundary.minusMillis(1))).isInstanceOf(Admitted.class);
        assertThat(buckets(hash)).containsExactlyInAnyOrder(
                Long.toString(T0.getEpochSecond()), Long.toString(boundary.getEpochSecond()));
        assertThat(redis().ttl(hash)).as("TTL after the older bucket").isGreaterThanOrEqualTo(newer - 1);
    }

    @Test
    void settlementDoesNotRecreateAnExpiredCounter() {
        Meter daily = new Meter("t", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 1000);
        Meter conc = new Meter("t", "concurrency", Quantity.CONCURRENCY, null, 1);
        String id = newId();
        admit(id, List.of(daily, conc), 100, 0, T0);
        String counter = prefix() + "c:t:daily_tokens:d20261123";
        assertThat(redis().get(counter)).isEqualTo("100");
        redis().del(counter); // as if it had expired
        settle(id, 500, 0, true, T0.plusSeconds(1));
        assertThat(redis().exists(counter)).isZero();
        assertThat(redis().exists(prefix() + "res:" + id)).isZero();
        assertThat(admit(newId(), List.of(conc), 0, 0, T0.plusSeconds(1))).isInstanceOf(Admitted.class);
    }

    @Test
    void largeAmountsStayExactIntegers() {
        long big = 123_456_789_012_345L; // more digits than Lua's %.14g number formatting keeps
        Meter budget = new Meter("t", "budget", Quantity.MICROS, WindowKind.MONTHLY, 4 * big);
        String id = newId();
        Admitted a = (Admitted) admit(id, List.of(budget), 0, big, T0);
        assertThat(a.meters().get(0).used()).isEqualTo(big);
        settle(id, 0, big + 1, true, T0);
        assertThat(redis().get(prefix() + "c:t:budget:m202611")).isEqualTo(Long.toString(big + 1));
    }

    @Test
    void recoversWhenRedisForgetsTheScripts() {
        Meter rpm = new Meter("t", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 10);
        Meter conc = new Meter("t", "concurrency", Quantity.CONCURRENCY, null, 1);
        String first = newId();
        assertThat(admit(first, List.of(rpm, conc), 0, 0, T0)).isInstanceOf(Admitted.class);
        redis().scriptFlush();
        settle(first, 0, 0, true, T0);
        redis().scriptFlush();
        List<Long> used = new ArrayList<>();
        Admitted a = (Admitted) admit(newId(), List.of(rpm, conc), 0, 0, T0);
        a.meters().forEach(m -> used.add(m.used()));
        assertThat(used).containsExactly(2L, 1L);
        redis().scriptFlush();
        assertThat(peek(List.of(rpm, conc), T0)).extracting(Admission.MeterState::used).containsExactly(2L, 1L);
    }

    /** Every key of the tenant with its value (as Redis dumps it) and its absolute expiry. */
    private Map<String, String> snapshot() {
        Map<String, String> state = new TreeMap<>();
        for (String key : tenantKeys()) {
            state.put(key, redis().pexpiretime(key) + " " + java.util.Arrays.toString(redis().dump(key)));
        }
        return state;
    }

    @Test
    void peekCreatesDeletesAndExpiresNothing() {
        List<Meter> meters = allKinds();
        peek(meters, T0);
        assertThat(tenantKeys()).as("a peek of a fresh tenant creates no key").isEmpty();
        String early = newId();
        admit(early, meters, 100, 2_000, T0);
        admit(newId(), meters, 100, 2_000, T0.plusSeconds(20));
        settle(early, 30, 500, true, T0.plusSeconds(21));
        admit(newId(), meters, 100, 2_000, T0.plusSeconds(25));
        Map<String, String> before = snapshot();
        // at +65 s the first request's rpm/tpm bucket has left the window and two leases have ended: a peek skips
        // them, as admission would, but leaves them where they are
        List<Admission.MeterState> states = peek(meters, T0.plusSeconds(65));
        assertThat(states).extracting(Admission.MeterState::used)
                .containsExactly(2L, 200L, 230L, 3L, 4_500L, 4_500L, 0L);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(buckets(prefix() + "c:t:rpm:s60")).contains(Long.toString(T0.getEpochSecond()));
        assertThat(redis().zcard(prefix() + "l:k:a:concurrency")).isEqualTo(2);
    }
}
