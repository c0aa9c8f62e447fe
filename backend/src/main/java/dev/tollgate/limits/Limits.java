// Why: one typed description of every limit a tenant or key can carry, shared by the admin API (which
// validates and stores it) and the limit engine (which enforces it).
package dev.tollgate.limits;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;

/** Limits of one tenant or key; every {@code null} member means unlimited. */
@Introspected
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Limits(
        @Nullable Long rpm,
        @Nullable Long tpm,
        @Nullable Long concurrency,
        @JsonProperty("daily_requests") @Nullable Long dailyRequests,
        @JsonProperty("monthly_requests") @Nullable Long monthlyRequests,
        @JsonProperty("daily_tokens") @Nullable Long dailyTokens,
        @JsonProperty("monthly_tokens") @Nullable Long monthlyTokens,
        @Nullable Budget budget) {

    public static final Limits NONE = new Limits(null, null, null, null, null, null, null, null);

    /** A money budget over a calendar or rolling window. */
    @Introspected
    public record Budget(
            BigDecimal amount,
            String currency,
            String window,
            @JsonProperty("alert_at") @Nullable BigDecimal alertAt) {
    }
}
