// Why: a request must pass every limit of its key and of its tenant; this turns both Limits into the meters
// one admission checks, so the stores never see the contract's limit names.
package dev.tollgate.limits;

import dev.tollgate.limits.Meter.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

public final class MeterPlan {
    public static final String TENANT_SCOPE = "t";

    private MeterPlan() {
    }

    /** The meters of a key and its tenant; unlimited ({@code null}) limits give no meter. */
    public static List<Meter> of(Limits tenant, Limits key, String keyId) {
        List<Meter> meters = new ArrayList<>();
        add(meters, "k:" + keyId, key);
        add(meters, TENANT_SCOPE, tenant);
        return meters;
    }

    /** Money as integer micro-dollars, rounded down (a budget never allows more than its amount). */
    public static long micros(BigDecimal dollars) {
        return dollars.movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
    }

    private static void add(List<Meter> out, String scope, Limits l) {
        if (l == null) {
            return;
        }
        count(out, scope, "rpm", Quantity.REQUESTS, WindowKind.MINUTE_SLIDING, l.rpm());
        count(out, scope, "tpm", Quantity.TOKENS, WindowKind.MINUTE_SLIDING, l.tpm());
        count(out, scope, "concurrency", Quantity.CONCURRENCY, null, l.concurrency());
        count(out, scope, "daily_requests", Quantity.REQUESTS, WindowKind.DAILY, l.dailyRequests());
        count(out, scope, "monthly_requests", Quantity.REQUESTS, WindowKind.MONTHLY, l.monthlyRequests());
        count(out, scope, "daily_tokens", Quantity.TOKENS, WindowKind.DAILY, l.dailyTokens());
        count(out, scope, "monthly_tokens", Quantity.TOKENS, WindowKind.MONTHLY, l.monthlyTokens());
        if (l.budget() != null) {
            out.add(new Meter(scope, "budget", Quantity.MICROS, WindowKind.parse(l.budget().window()), micros(l.budget().amount())));
        }
    }

    private static void count(List<Meter> out, String scope, String name, Quantity q, WindowKind w, Long limit) {
        if (limit != null) {
            out.add(new Meter(scope, name, q, w, limit));
        }
    }
}
