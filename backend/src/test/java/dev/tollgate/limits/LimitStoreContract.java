// Why: the one suite of behaviours every LimitStore must have (Redis and in-process alike): exact admission,
// all-or-nothing reservation, settlement to measured usage, leases that expire, and exact counts under
// concurrency, and peeks that read what admission counts without changing it.
package dev.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limits.Admission.Admitted;
import dev.tollgate.limits.Admission.MeterState;
import dev.tollgate.limits.Admission.Refused;
import dev.tollgate.limits.Meter.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

public abstract class LimitStoreContract {
    protected static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** 2026-11-23T10:00:00Z: a Monday, mid-month. */
    protected static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    protected LimitStore store;
    protected String tenant;

    /** A store using {@link #ZONE} for calendar windows. */
    protected abstract LimitStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
        tenant = "ten_" + System.nanoTime() + "_" + SEQUENCE.incrementAndGet();
    }

    private static String id() {
        return "req_" + SEQUENCE.incrementAndGet();
    }

    protected Admission admit(List<Meter> meters, long tokens, long micros, Instant now) {
        return store.admit(new AdmissionRequest(id(), tenant, meters, tokens, micros, LEASE, now)).toCompletableFuture().join();
    }

    private Admission admit(String requestId, List<Meter> meters, long tokens, Instant now) {
        return admit(requestId, meters, tokens, 0, now);
    }

    private Admission admit(String requestId, List<Meter> meters, long tokens, long micros, Instant now) {
        return store.admit(new AdmissionRequest(requestId, tenant, meters, tokens, micros, LEASE, now)).toCompletableFuture().join();
    }

    protected List<MeterState> peek(List<Meter> meters, Instant now) {
        return store.peek(tenant, meters, now).toCompletableFuture().join();
    }

    private void settle(String requestId, long tokens, long micros, boolean measured, Instant now) {
        store.settle(new Settlement(requestId, tenant, tokens, micros, measured, now)).toCompletableFuture().join();
    }

    private static Meter meter(String scope, String name, Quantity q, WindowKind w, long limit) {
        return new Meter(scope, name, q, w, limit);
    }

    @ParameterizedTest(name = "{0} {1} limit {3}, {4} per request: {5} admitted")
    @CsvSource({
            "rpm, REQUESTS, MINUTE_SLIDING, 3, 0, 3",
            "tpm, TOKENS, MINUTE_SLIDING, 1000, 300, 3",
            "daily_requests, REQUESTS, DAILY, 2, 0, 2",
            "daily_tokens, TOKENS, DAILY, 999, 100, 9",
            "monthly_tokens, TOKENS, MONTHLY, 100, 100, 1",
            "budget, MICROS, H5, 2500000, 1000000, 2",
            "budget, MICROS, TOTAL, 0, 1, 0",
    })
    void admitsExactlyUpToTheLimit(String name, Quantity q, WindowKind w, long limit, long perRequest, int expected) {
        Meter m = meter("k:a", name, q, w, limit);
        int admitted = 0;
        for (int i = 0; i < expected + 3; i++) {
            Admission a = admit(List.of(m), q == Quantity.TOKENS ? perRequest : 0, q == Quantity.MICROS ? perRequest : 0, T0);
            if (a instanceof Admitted) {
                admitted++;
            } else {
                Refused r = (Refused) a;
                assertThat(r.meter()).isEqualTo(m);
                assertThat(r.retryAfterSeconds()).isGreaterThanOrEqualTo(1);
            }
        }
        assertThat(admitted).isEqualTo(expected);
    }

    @Test
    void admittedStatesReportUsedRemainingAndReset() {
        Meter rpm = meter("t", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 10);
        Meter daily = meter("t", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 1000);
        admit(List.of(rpm, daily), 100, 0, T0);
        Admitted a = (Admitted) admit(List.of(rpm, daily), 50, 0, T0);
        assertThat(a.meters()).extracting(Admission.MeterState::used).containsExactly(2L, 150L);
        assertThat(a.meters().get(1).remaining()).isEqualTo(850);
        // the Berlin day of 2026-11-23 ends at 23:00Z
        assertThat(a.meters().get(1).resetAt()).isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
        assertThat(a.meters().get(0).resetAt()).isAfter(T0).isBeforeOrEqualTo(T0.plusSeconds(61));
    }

    @Test
    void reservationIsAllOrNothing() {
        Meter tenantRpm = meter("t", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 1);
        Meter keyDaily = meter("k:a", "daily_requests", Quantity.REQUESTS, WindowKind.DAILY, 5);
        assertThat(admit(List.of(keyDaily, tenantRpm), 0, 0, T0)).isInstanceOf(Admitted.class);
        for (int i = 0; i < 4; i++) {
            Refused r = (Refused) admit(List.of(keyDaily, tenantRpm), 0, 0, T0);
            assertThat(r.meter()).isEqualTo(tenantRpm);
        }
        // the refused attempts counted nothing against the key's daily quota
        Admitted a = (Admitted) admit(List.of(keyDaily), 0, 0, T0);
        assertThat(a.meters().get(0).used()).isEqualTo(2);
    }

    @Test
    void slidingMinuteFreesAfterSixtySeconds() {
        Meter rpm = meter("t", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 2);
        admit(List.of(rpm), 0, 0, T0);
        admit(List.of(rpm), 0, 0, T0.plusSeconds(30));
        Refused r = (Refused) admit(List.of(rpm), 0, 0, T0.plusSeconds(45));
        assertThat(r.retryAfterSeconds()).isBetween(1L, 17L);
        assertThat(admit(List.of(rpm), 0, 0, T0.plusSeconds(62))).isInstanceOf(Admitted.class);
        assertThat(admit(List.of(rpm), 0, 0, T0.plusSeconds(62))).isInstanceOf(Refused.class);
    }

    /**
     * Two replicas' clocks differ, and a request can read the time before another yet reach the store after it: usage
     * charged to a bucket newer than a request's own now still counts against it, or both would fit past the limit.
     */
    @Test
    void usageInABucketNewerThanNowStillCounts() {
        Meter tpm = meter("k", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 100);
        Instant earlier = T0.plusMillis(999);
        Instant later = T0.plusSeconds(1);
        assertThat(admit(List.of(tpm), 60, 0, later)).isInstanceOf(Admitted.class);
        assertThat(peek(List.of(tpm), earlier).get(0).used()).isEqualTo(60);
        assertThat(admit(List.of(tpm), 60, 0, earlier)).isInstanceOf(Refused.class);
        Admitted fits = (Admitted) admit(List.of(tpm), 40, 0, earlier);
        assertThat(fits.meters().get(0).used()).as("used, with the newer bucket's 60").isEqualTo(100);
        assertThat(admit(List.of(tpm), 1, 0, later)).isInstanceOf(Refused.class);
    }

    @Test
    void dailyQuotaTurnsOverAtLocalMidnight() {
        Meter daily = meter("t", "daily_requests", Quantity.REQUESTS, WindowKind.DAILY, 1);
        Instant beforeMidnight = Instant.parse("2026-11-23T22:59:59Z");
        assertThat(admit(List.of(daily), 0, 0, beforeMidnight)).isInstanceOf(Admitted.class);
        Refused r = (Refused) admit(List.of(daily), 0, 0, beforeMidnight);
        assertThat(r.retryAfterSeconds()).isEqualTo(1);
        assertThat(admit(List.of(daily), 0, 0, Instant.parse("2026-11-23T23:00:00Z"))).isInstanceOf(Admitted.class);
    }

    @Test
    void settlementReplacesTheEstimateByTheMeasuredUsage() {
        Meter daily = meter("t", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 1000);
        String id = id();
        admit(id, List.of(daily), 900, T0);
        assertThat(admit(List.of(daily), 200, 0, T0)).isInstanceOf(Refused.class);
        settle(id, 100, 0, true, T0.plusSeconds(5));
        settle(id, 100, 0, true, T0.plusSeconds(6));
        Admitted a = (Admitted) admit(List.of(daily), 900, 0, T0.plusSeconds(7));
        assertThat(a.meters().get(0).used()).isEqualTo(1000);
    }

    @Test
    void settlementCanAlsoChargeMoreThanReserved() {
        Meter daily = meter("t", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 1000);
        String id = id();
        admit(id, List.of(daily), 100, T0);
        settle(id, 950, 0, true, T0);
        assertThat(admit(List.of(daily), 100, 0, T0)).isInstanceOf(Refused.class);
        assertThat(((Admitted) admit(List.of(daily), 50, 0, T0)).meters().get(0).used()).isEqualTo(1000);
    }

    @Test
    void unmeasuredUsageIsNeverRefunded() {
        Meter daily = meter("t", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 1000);
        String id = id();
        admit(id, List.of(daily), 600, T0);
        settle(id, 0, 0, false, T0);
        assertThat(admit(List.of(daily), 500, 0, T0)).isInstanceOf(Refused.class);
    }

    @Test
    void settlementAdjustsTheWindowTheReservationCountedIn() {
        Meter daily = meter("t", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 1000);
        String id = id();
        Instant lateEvening = Instant.parse("2026-11-23T22:59:50Z");
        admit(id, List.of(daily), 1000, lateEvening);
        Instant nextDay = Instant.parse("2026-11-23T23:00:10Z");
        assertThat(admit(List.of(daily), 1000, 0, nextDay)).isInstanceOf(Admitted.class);
        settle(id, 10, 0, true, nextDay);
        // today's counter is untouched by yesterday's settlement
        assertThat(admit(List.of(daily), 1, 0, nextDay)).isInstanceOf(Refused.class);
    }

    @Test
    void concurrencyLeasesAreReleasedBySettlementOrExpiry() {
        Meter conc = meter("k:a", "concurrency", Quantity.CONCURRENCY, null, 2);
        String first = id();
        admit(first, List.of(conc), 0, T0);
        admit(List.of(conc), 0, 0, T0);
        Refused r = (Refused) admit(List.of(conc), 0, 0, T0);
        assertThat(r.meter().name()).isEqualTo("concurrency");
        settle(first, 0, 0, true, T0.plusSeconds(1));
        assertThat(admit(List.of(conc), 0, 0, T0.plusSeconds(1))).isInstanceOf(Admitted.class);
        assertThat(admit(List.of(conc), 0, 0, T0.plusSeconds(2))).isInstanceOf(Refused.class);
        // nobody settles: the leases (30 s) expire
        assertThat(admit(List.of(conc), 0, 0, T0.plus(LEASE).plusSeconds(2))).isInstanceOf(Admitted.class);
    }

    private boolean renew(String requestId, Instant now) {
        return store.renew(tenant, requestId, LEASE, now).toCompletableFuture().join();
    }

    @Test
    void renewedLeasesOutliveTheirFirstLeaseAndStillEndWithoutRenewal() {
        Meter conc = meter("k:a", "concurrency", Quantity.CONCURRENCY, null, 1);
        String stream = id();
        admit(stream, List.of(conc), 0, T0);
        // a long stream renews every 10 s for two minutes: nobody else gets its slot meanwhile
        for (int s = 10; s <= 120; s += 10) {
            assertThat(renew(stream, T0.plusSeconds(s))).as("renewal at +%ds", s).isTrue();
            assertThat(admit(List.of(conc), 0, 0, T0.plusSeconds(s))).as("admission at +%ds", s).isInstanceOf(Refused.class);
        }
        // its replica dies: the last renewal (at +120 s) holds the slot for one more lease, then it is free
        assertThat(admit(List.of(conc), 0, 0, T0.plusSeconds(120).plus(LEASE).minusSeconds(1))).isInstanceOf(Refused.class);
        assertThat(admit(List.of(conc), 0, 0, T0.plusSeconds(120).plus(LEASE).plusSeconds(1))).isInstanceOf(Admitted.class);
    }

    @Test
    void renewingASettledOrUnknownReservationDoesNothing() {
        Meter conc = meter("k:a", "concurrency", Quantity.CONCURRENCY, null, 1);
        String done = id();
        admit(done, List.of(conc), 0, T0);
        settle(done, 0, 0, true, T0.plusSeconds(1));
        assertThat(renew(done, T0.plusSeconds(2))).isFalse();
        assertThat(renew("req_never_admitted", T0.plusSeconds(2))).isFalse();
        // the renewal did not take the freed slot back
        assertThat(admit(List.of(conc), 0, 0, T0.plusSeconds(2))).isInstanceOf(Admitted.class);
    }

    @Test
    void scopesAndTenantsAreCountedApart() {
        Meter keyA = meter("k:a", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 1);
        Meter keyB = meter("k:b", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 1);
        assertThat(admit(List.of(keyA), 0, 0, T0)).isInstanceOf(Admitted.class);
        assertThat(admit(List.of(keyB), 0, 0, T0)).isInstanceOf(Admitted.class);
        tenant = tenant + "-other";
        assertThat(admit(List.of(keyA), 0, 0, T0)).isInstanceOf(Admitted.class);
    }

    @Test
    void concurrentAdmissionsAreExact() throws Exception {
        Meter rpm = meter("t", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 50);
        Meter tokens = meter("k:a", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 4_000);
        Meter conc = meter("k:a", "concurrency", Quantity.CONCURRENCY, null, 7);
        int threads = 16;
        int perThread = 25;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    String id = id();
                    Admission a = admit(id, List.of(rpm, tokens, conc), 100, T0);
                    if (a instanceof Admitted) {
                        admitted.incrementAndGet();
                        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        inFlight.decrementAndGet();
                        settle(id, 100, 0, true, T0);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(admitted.get()).isEqualTo(40);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(7);
        // every lease was released
        for (int i = 0; i < 7; i++) {
            assertThat(admit(List.of(conc), 0, 0, T0)).isInstanceOf(Admitted.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tollgate.limits.PeekCases#all")
    void peekReadsWhatAdmissionCounts(String name, Meter meter, List<PeekCases.Op> ops, Instant at, long used,
                                      long remaining, Instant resetAt) {
        for (PeekCases.Op op : ops) {
            if (op.settle()) {
                settle(op.id(), op.amount(), op.amount(), true, op.at());
            } else {
                assertThat(admit(op.id(), List.of(meter), op.amount(), op.amount(), op.at())).isInstanceOf(Admitted.class);
            }
        }
        MeterState state = peek(List.of(meter), at).get(0);
        assertThat(state.meter()).isEqualTo(meter);
        assertThat(state.used()).as("used").isEqualTo(used);
        assertThat(state.remaining()).as("remaining").isEqualTo(remaining);
        assertThat(state.resetAt()).as("reset").isEqualTo(resetAt);
    }

    @Test
    void peekReadsEveryMeterInOrderAndChangesNothing() {
        List<Meter> meters = List.of(PeekCases.RPM, PeekCases.CONCURRENCY, PeekCases.DAILY_TOKENS, PeekCases.BUDGET_MONTHLY);
        assertThat(peek(meters, T0)).extracting(MeterState::used).containsExactly(0L, 0L, 0L, 0L);
        admit("a", meters, 300, 2_000, T0);
        admit("b", meters, 200, 1_000, T0.plusSeconds(1));
        // at T0 + lease the slot of "a" is free (its lease ended), that of "b" is not; reading twice reads the same
        List<MeterState> first = peek(meters, T0.plus(LEASE));
        assertThat(first).extracting(MeterState::meter).containsExactlyElementsOf(meters);
        assertThat(first).extracting(MeterState::used).containsExactly(2L, 1L, 500L, 3_000L);
        assertThat(peek(meters, T0.plus(LEASE))).isEqualTo(first);
        assertThat(peek(meters, T0.plusSeconds(62))).extracting(MeterState::used).containsExactly(0L, 0L, 500L, 3_000L);
        // another tenant's meters of the same names hold nothing
        String own = tenant;
        tenant = tenant + "-other";
        assertThat(peek(meters, T0.plusSeconds(1))).extracting(MeterState::used).containsExactly(0L, 0L, 0L, 0L);
        tenant = own;
        // admission counts exactly what it would have counted without the peeks
        Admitted third = (Admitted) admit("c", meters, 100, 0, T0.plus(LEASE).plusSeconds(10));
        assertThat(third.meters()).extracting(MeterState::used).containsExactly(3L, 1L, 600L, 3_000L);
    }
}
