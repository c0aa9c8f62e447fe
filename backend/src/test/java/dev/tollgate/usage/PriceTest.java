// Why: a budget must be charged exactly and never less than the real cost; this pins the arithmetic, the
// rounding and the edges of Price.costMicros.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceTest {

    @ParameterizedTest(name = "in {0} out {1} req {2}: {3}+{4} tokens = {5} micros")
    @CsvSource({
            // free models cost nothing
            "0,         0,        0,          1000000, 1000000, 0",
            // USD per million tokens is micro-dollars per token
            "0.15,      0.60,     0,          1000,    500,     450",
            "3,         15,       0.01,       1000000, 1000000, 18010000",
            // a per-request price is charged once, also with no tokens
            "0,         0,        0.002,      0,       0,       2000",
            // fractions of a micro-dollar round up, never down
            "2.50,      10,       0,          1,       1,       13",
            "0.0000001, 0,        0,          1,       0,       1",
            "0,         0,        0.0000015,  0,       0,       2",
            "1.000001,  0,        0,          1,       0,       2",
            // exact decimals: with doubles 0.7 × 10 is 7.000000000000001 and would round up to 8
            "0.7,       0,        0,          10,      0,       7",
            "0.1,       0.2,      0,          3,       3,       1",
            "0.1,       0.2,      0,          10,      10,      3",
            // zero tokens of a priced model cost nothing but the per-request price
            "5,         5,        0,          0,       0,       0",
    })
    void costInMicroDollarsRoundedUp(String input, String output, String perRequest, long prompt, long completion,
                                     long micros) {
        Price price = new Price(new BigDecimal(input), new BigDecimal(output), new BigDecimal(perRequest));
        assertThat(price.costMicros(prompt, completion)).isEqualTo(micros);
    }

    @Test
    void zeroIsFree() {
        assertThat(Price.ZERO.costMicros(123_456, 789)).isZero();
    }

    @Test
    void aCostBeyondLongIsCappedNotWrapped() {
        Price price = new Price(new BigDecimal("1000000"), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(price.costMicros(Long.MAX_VALUE, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(price.costMicros(Long.MAX_VALUE / 1_000_000, 0)).isEqualTo(Long.MAX_VALUE / 1_000_000 * 1_000_000);
    }

    @Test
    void negativeCountsAndPricesAreRefused() {
        assertThatThrownBy(() -> Price.ZERO.costMicros(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Price.ZERO.costMicros(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Price(new BigDecimal("-0.1"), BigDecimal.ZERO, BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usdIsWrittenPlainly() {
        assertThat(Usd.ofMicros(25_000_000).toString()).isEqualTo("25");
        assertThat(Usd.ofMicros(20_000_000).toString()).isEqualTo("20");
        assertThat(Usd.ofMicros(20_500_000).toString()).isEqualTo("20.5");
        assertThat(Usd.ofMicros(1).toString()).isEqualTo("0.000001");
        assertThat(Usd.plain(new BigDecimal("1.2300")).toString()).isEqualTo("1.23");
    }
}
