// Why: money is counted in integer micro-dollars but shown to admins and webhooks as USD decimals; one place
// converts between the two and writes decimals plainly (25, not 2.5E+1).
package dev.tollgate.usage;

import java.math.BigDecimal;

public final class Usd {
    private Usd() {
    }

    /** {@code micros} micro-dollars as USD, without trailing zeros ({@code 25500000} → {@code 25.5}). */
    public static BigDecimal ofMicros(long micros) {
        return plain(BigDecimal.valueOf(micros, 6));
    }

    /** The same value without trailing zeros and never in exponent form for whole numbers. */
    public static BigDecimal plain(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }
}
