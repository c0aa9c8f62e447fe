// Why: LimitStore.peek must read exactly what admission counts, in every kind of window, for Redis and the in-process
// store alike; this is the one table of those cases that LimitStoreContract runs against both.
package dev.tollgate.limits;

import dev.tollgate.limits.Meter.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Cases in {@link LimitStoreContract#ZONE} (Europe/Berlin) around {@link LimitStoreContract#T0}, a Monday 11:00 local. */
final class PeekCases {
    private static final Instant T0 = LimitStoreContract.T0;
    private static final Instant DAY_END = Instant.parse("2026-11-23T23:00:00Z");
    private static final Instant MONTH_END = Instant.parse("2026-11-30T23:00:00Z");
    private static final Instant LAST_SECOND_OF_DAY = Instant.parse("2026-11-23T22:59:59Z");
    private static final Instant LAST_SECOND_OF_MONTH = Instant.parse("2026-11-30T22:59:59Z");

    static final Meter RPM = new Meter("k:a", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 10);
    static final Meter TPM = new Meter("k:a", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 1000);
    static final Meter CONCURRENCY = new Meter("k:a", "concurrency", Quantity.CONCURRENCY, null, 2);
    static final Meter DAILY_REQUESTS = new Meter("t", "daily_requests", Quantity.REQUESTS, WindowKind.DAILY, 5);
    static final Meter DAILY_TOKENS = new Meter("t", "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, 1000);
    static final Meter MONTHLY_TOKENS = new Meter("t", "monthly_tokens", Quantity.TOKENS, WindowKind.MONTHLY, 100_000);
    static final Meter BUDGET_5H = new Meter("t", "budget", Quantity.MICROS, WindowKind.H5, 2_500_000);
    static final Meter BUDGET_MONTHLY = new Meter("k:a", "budget", Quantity.MICROS, WindowKind.MONTHLY, 25_000_000);
    static final Meter BUDGET_TOTAL = new Meter("k:a", "budget", Quantity.MICROS, WindowKind.TOTAL, 1_000_000);

    private PeekCases() {
    }

    /**
     * One step before the peek: admit request {@code id} reserving {@code amount} (tokens or micro-dollars, whichever
     * the meter counts), or settle it to a measured {@code amount}.
     */
    record Op(String id, boolean settle, long amount, Instant at) {
    }

    private static Op admit(String id, long amount, Instant at) {
        return new Op(id, false, amount, at);
    }

    private static Op settle(String id, long amount, Instant at) {
        return new Op(id, true, amount, at);
    }

    private static Instant s(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Arguments row(String name, Meter meter, List<Op> ops, Instant peekAt, long used, long remaining,
                                 Instant resetAt) {
        return Arguments.of(name, meter, ops, peekAt, used, remaining, resetAt);
    }

    /** name, meter, steps, peek at, expected used, remaining and reset. */
    static Stream<Arguments> all() {
        return Stream.of(
                row("rpm, fresh: free now", RPM, List.of(), T0, 0, 10, T0),
                row("tpm, fresh", TPM, List.of(), T0, 0, 1000, T0),
                row("concurrency, fresh: no reset time", CONCURRENCY, List.of(), T0, 0, 2, null),
                row("daily_requests, fresh: resets at local midnight", DAILY_REQUESTS, List.of(), T0, 0, 5, DAY_END),
                row("monthly_tokens, fresh: resets on the 1st", MONTHLY_TOKENS, List.of(), T0, 0, 100_000, MONTH_END),
                row("total budget, fresh: never resets", BUDGET_TOTAL, List.of(), T0, 0, 1_000_000, null),

                row("rpm after three admissions: free when the newest leaves", RPM,
                        List.of(admit("a", 0, T0), admit("b", 0, s(10)), admit("c", 0, s(20))), s(30), 3, 7, s(81)),
                row("rpm, the oldest still counted at +60 s", RPM,
                        List.of(admit("a", 0, T0), admit("b", 0, s(30))), s(60), 2, 8, s(91)),
                row("rpm, the oldest slid out at +61 s", RPM,
                        List.of(admit("a", 0, T0), admit("b", 0, s(30))), s(61), 1, 9, s(91)),
                row("rpm, everything slid out: free now", RPM, List.of(admit("a", 0, T0)), s(61), 0, 10, s(61)),
                row("tpm, settled to the measured tokens", TPM,
                        List.of(admit("a", 500, T0), settle("a", 120, s(2)), admit("b", 300, s(5))), s(10), 420, 580, s(66)),
                row("tpm, a late settlement corrects its own bucket, which then slides out", TPM,
                        List.of(admit("a", 500, T0), admit("b", 100, s(30)), settle("a", 50, s(40))), s(61), 100, 900, s(91)),

                row("daily_tokens, settled and admitted again", DAILY_TOKENS,
                        List.of(admit("a", 900, T0), settle("a", 100, s(5)), admit("b", 250, s(6))), s(7), 350, 650, DAY_END),
                row("daily_tokens, measured over the limit: none remaining", DAILY_TOKENS,
                        List.of(admit("a", 50, T0), settle("a", 1800, s(1))), s(2), 1800, 0, DAY_END),
                row("daily_requests, last second of the day", DAILY_REQUESTS,
                        List.of(admit("a", 0, LAST_SECOND_OF_DAY)), LAST_SECOND_OF_DAY, 1, 4, DAY_END),
                row("daily_requests, at local midnight: a new day", DAILY_REQUESTS,
                        List.of(admit("a", 0, LAST_SECOND_OF_DAY)), DAY_END, 0, 5, Instant.parse("2026-11-24T23:00:00Z")),
                row("monthly_tokens, last second of the month", MONTHLY_TOKENS,
                        List.of(admit("a", 700, LAST_SECOND_OF_MONTH)), LAST_SECOND_OF_MONTH, 700, 99_300, MONTH_END),
                row("monthly_tokens, a new month", MONTHLY_TOKENS,
                        List.of(admit("a", 700, LAST_SECOND_OF_MONTH)), MONTH_END, 0, 100_000,
                        Instant.parse("2026-12-31T23:00:00Z")),

                row("monthly budget in micro-dollars, settled", BUDGET_MONTHLY,
                        List.of(admit("a", 1_500_000, T0), settle("a", 1_234_567, s(3))), s(4), 1_234_567, 23_765_433,
                        MONTH_END),
                row("5h budget, counted until its 5 min bucket ends plus 5 h", BUDGET_5H,
                        List.of(admit("a", 700_000, s(10))), s(3600), 700_000, 1_800_000, s(300 + 5 * 3600)),
                row("5h budget, slid out", BUDGET_5H,
                        List.of(admit("a", 700_000, s(10))), s(300 + 5 * 3600), 0, 2_500_000, s(300 + 5 * 3600)),
                row("total budget, spent in part", BUDGET_TOTAL,
                        List.of(admit("a", 400_000, T0), settle("a", 300_000, s(1))), s(86_400), 300_000, 700_000, null),

                row("concurrency, one of two settled", CONCURRENCY,
                        List.of(admit("a", 0, T0), admit("b", 0, T0), settle("a", 0, s(1))), s(5), 1, 1, null),
                row("concurrency, a lease ends at 30 s exactly", CONCURRENCY,
                        List.of(admit("a", 0, T0), admit("b", 0, s(20))), s(30), 1, 1, null),
                row("concurrency, every lease expired", CONCURRENCY, List.of(admit("a", 0, T0)), s(31), 0, 2, null));
    }
}
