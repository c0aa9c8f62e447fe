// Why: a refused admission, raised by the limit engine and turned into the dialect's 429 by the proxy. It says
// which limit (by its contract name and whose it is: the key's or its tenant's) and when to retry, never anything
// about other tenants.
package dev.tollgate.limits;

import dev.tollgate.limits.Meter.Quantity;
import java.math.BigDecimal;

public final class LimitRefusal extends RuntimeException {
    private final Meter meter;
    private final long retryAfterSeconds;

    public LimitRefusal(Meter meter, long retryAfterSeconds) {
        super(describe(meter, retryAfterSeconds), null, false, false);
        this.meter = meter;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Meter meter() {
        return meter;
    }

    /** Rate and concurrency limits pass with time (429 rate_limit_exceeded); quotas and budgets are spent. */
    public boolean isRate() {
        return meter.isRate();
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static String describe(Meter meter, long retryAfter) {
        String whose = meter.scope().equals(MeterPlan.TENANT_SCOPE) ? "this key's tenant" : "this key";
        String limit = switch (meter.quantity()) {
            case CONCURRENCY -> meter.limit() + " requests in flight";
            case REQUESTS -> meter.limit() + " requests" + per(meter);
            case TOKENS -> meter.limit() + " tokens" + per(meter);
            case MICROS -> BigDecimal.valueOf(meter.limit()).movePointLeft(6).stripTrailingZeros().toPlainString()
                    + " USD" + per(meter);
        };
        String what = meter.isRate() ? "Rate limit reached" : meter.quantity() == Quantity.MICROS ? "Budget exhausted" : "Quota exhausted";
        return what + " for " + whose + ": " + meter.name() + " is " + limit + ". Retry after " + Math.max(1, retryAfter) + " s.";
    }

    private static String per(Meter meter) {
        WindowKind w = meter.window();
        if (w == WindowKind.MINUTE_SLIDING) {
            return " per minute";
        }
        return w == WindowKind.TOTAL ? " in total" : " per " + w.contractName() + " window";
    }
}
