// Why: a limit as the store sees it: one quantity of one scope counted over one window, with its ceiling.
// The admission code turns a tenant's and a key's Limits into meters; the stores only count.
package dev.tollgate.limits;

import java.util.Objects;

/**
 * One limit to enforce. {@code scope} names whose usage is counted inside the tenant ({@code "t"} for the tenant
 * itself, {@code "k:<keyId>"} for a key); {@code name} is the contract's limit name (rpm, daily_tokens, budget...)
 * used in refusals. For {@link Quantity#CONCURRENCY} the window is ignored: the limit is on leases held at once.
 */
public record Meter(String scope, String name, Quantity quantity, WindowKind window, long limit) {
    public Meter {
        Objects.requireNonNull(scope);
        Objects.requireNonNull(name);
        Objects.requireNonNull(quantity);
        if (quantity != Quantity.CONCURRENCY) {
            Objects.requireNonNull(window);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
    }

    /** What a meter counts. */
    public enum Quantity {
        /** one per admitted request */
        REQUESTS,
        /** prompt plus completion tokens */
        TOKENS,
        /** money, in micro-dollars */
        MICROS,
        /** requests in flight (leases) */
        CONCURRENCY
    }

    /** True for limits that refuse with 429 rate_limit_exceeded (rate, concurrency); false for quotas and budgets. */
    public boolean isRate() {
        return quantity == Quantity.CONCURRENCY || window == WindowKind.MINUTE_SLIDING;
    }
}
