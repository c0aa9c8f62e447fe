// Why: the admin API's answer to GET /admin/api/keys/{id}/status: each limit of a key and of its tenant with what is
// used, what remains and when it resets, in the contract's limit names and with money in USD like the rest of the API.
package dev.tollgate.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.limits.Admission.MeterState;
import dev.tollgate.limits.Meter;
import dev.tollgate.limits.MeterPlan;
import dev.tollgate.usage.Usd;
import io.micronaut.core.annotation.Introspected;
import java.time.Instant;
import java.util.List;

/**
 * The response body:
 * <pre>{@code
 * {"key_id": "key_...", "tenant_id": "ten_...",
 *  "limits": [
 *   {"scope": "key", "limit": "rpm", "max": 60, "used": 12, "remaining": 48, "resets_at": "2026-11-23T10:01:13Z"},
 *   {"scope": "key", "limit": "concurrency", "max": 4, "used": 1, "remaining": 3, "resets_at": null},
 *   {"scope": "tenant", "limit": "daily_tokens", "max": 2000000, "used": 18342, "remaining": 1981658,
 *    "resets_at": "2026-11-24T00:00:00Z"},
 *   {"scope": "tenant", "limit": "budget", "max": 25, "used": 3.141593, "remaining": 21.858407, "currency": "USD",
 *    "window": "monthly", "resets_at": "2026-12-01T00:00:00Z"}]}
 * }</pre>
 * <ul>
 *   <li>{@code limits}: the key's limits, then its tenant's, each in the order rpm, tpm, concurrency, daily_requests,
 *       monthly_requests, daily_tokens, monthly_tokens, budget; unlimited ({@code null}) limits are left out, so a
 *       key and tenant without limits answer {@code []}. {@code scope} says whose limit it is.</li>
 *   <li>{@code max} is the limit, {@code used} what admission counts now (requests and tokens reserved by running
 *       requests included; finished ones at their measured usage), {@code remaining = max(0, max - used)}. For
 *       {@code concurrency}, {@code used} is the requests in flight.</li>
 *   <li>{@code resets_at} (ISO 8601): when the whole limit is free again: the window's end for daily and monthly
 *       limits and calendar budgets (in {@code TOLLGATE_TIMEZONE}); for rpm, tpm and rolling budgets, when the newest
 *       usage leaves the window (now if nothing is counted); {@code null} for concurrency and {@code total} budgets.</li>
 *   <li>A budget's amounts are USD decimals (counted in micro-dollars) with {@code currency} and its {@code window}.</li>
 * </ul>
 */
@Introspected
public record KeyStatus(
        @JsonProperty("key_id") String keyId,
        @JsonProperty("tenant_id") String tenantId,
        List<Entry> limits) {

    /** One limit; {@code currency} and {@code window} appear only on a budget. */
    @Introspected
    public record Entry(
            String scope,
            String limit,
            Number max,
            Number used,
            Number remaining,
            @JsonInclude(JsonInclude.Include.NON_NULL) String currency,
            @JsonInclude(JsonInclude.Include.NON_NULL) String window,
            @JsonProperty("resets_at") Instant resetsAt) {

        static Entry of(MeterState state) {
            Meter meter = state.meter();
            String scope = meter.scope().equals(MeterPlan.TENANT_SCOPE) ? "tenant" : "key";
            if (meter.quantity() == Meter.Quantity.MICROS) {
                return new Entry(scope, meter.name(), Usd.ofMicros(meter.limit()), Usd.ofMicros(state.used()),
                        Usd.ofMicros(state.remaining()), "USD", meter.window().contractName(), state.resetAt());
            }
            return new Entry(scope, meter.name(), meter.limit(), state.used(), state.remaining(), null, null,
                    state.resetAt());
        }
    }

    static KeyStatus of(String keyId, String tenantId, List<MeterState> states) {
        return new KeyStatus(keyId, tenantId, states.stream().map(Entry::of).toList());
    }
}
