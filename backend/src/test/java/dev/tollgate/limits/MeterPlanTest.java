// Why: the mapping from the contract's limits to meters and to x-ratelimit-* headers is table-driven here.
package dev.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limits.Admission.MeterState;
import dev.tollgate.limits.Meter.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeterPlanTest {

    @Test
    void everyLimitOfKeyAndTenantBecomesAMeter() {
        Limits key = new Limits(10L, 1000L, 2L, null, null, null, null, null);
        Limits tenant = new Limits(null, null, null, 100L, 3000L, 50_000L, 1_000_000L,
                new Limits.Budget(new BigDecimal("25.50"), "USD", "7d", new BigDecimal("0.8")));
        List<Meter> meters = MeterPlan.of(tenant, key, "key_1");
        assertThat(meters).extracting(m -> m.scope() + "/" + m.name() + "/" + m.quantity() + "/" + m.window() + "/" + m.limit())
                .containsExactly(
                        "k:key_1/rpm/REQUESTS/MINUTE_SLIDING/10",
                        "k:key_1/tpm/TOKENS/MINUTE_SLIDING/1000",
                        "k:key_1/concurrency/CONCURRENCY/null/2",
                        "t/daily_requests/REQUESTS/DAILY/100",
                        "t/monthly_requests/REQUESTS/MONTHLY/3000",
                        "t/daily_tokens/TOKENS/DAILY/50000",
                        "t/monthly_tokens/TOKENS/MONTHLY/1000000",
                        "t/budget/MICROS/D7/25500000");
        assertThat(MeterPlan.of(Limits.NONE, Limits.NONE, "k")).isEmpty();
    }

    @ParameterizedTest(name = "{0} USD = {1} micro-dollars")
    @CsvSource({"25.5, 25500000", "0.0000019, 1", "0, 0", "1000000000, 1000000000000000"})
    void moneyIsIntegerMicros(String dollars, long micros) {
        assertThat(MeterPlan.micros(new BigDecimal(dollars))).isEqualTo(micros);
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"0, 0s", "850, 850ms", "1000, 1s", "1001, 2s", "59000, 59s", "360000, 6m0s", "3723000, 1h2m3s"})
    void resetsAreFormattedAsOpenAiDoes(long millis, String expected) {
        assertThat(RateLimitHeaders.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @Test
    void headersDescribeTheTightestLimitOfEachKind() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        Meter keyRpm = new Meter("k:a", "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, 10);
        Meter tenantDaily = new Meter("t", "daily_requests", Quantity.REQUESTS, WindowKind.DAILY, 100);
        Meter tokens = new Meter("t", "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, 5000);
        Map<String, String> h = RateLimitHeaders.of(List.of(
                new MeterState(keyRpm, 4, now.plusMillis(850)),
                new MeterState(tenantDaily, 98, now.plus(Duration.ofHours(13))),
                new MeterState(tokens, 1200, now.plusSeconds(360))), now);
        assertThat(h).containsExactly(
                Map.entry("x-ratelimit-limit-requests", "100"),
                Map.entry("x-ratelimit-remaining-requests", "2"),
                Map.entry("x-ratelimit-reset-requests", "13h0m0s"),
                Map.entry("x-ratelimit-limit-tokens", "5000"),
                Map.entry("x-ratelimit-remaining-tokens", "3800"),
                Map.entry("x-ratelimit-reset-tokens", "6m0s"));
        assertThat(RateLimitHeaders.of(List.of(), now)).isEmpty();
    }
}
