// Why: budgets are enforced in integer micro-dollars; this turns a model's USD prices and a request's token
// counts into that integer exactly, rounding up so a budget is never under-charged.
package dev.tollgate.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Introspected;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/** A model's price in USD: per million prompt tokens, per million completion tokens, and per request. */
@Introspected
public record Price(
        @JsonProperty("input_per_mtok") BigDecimal inputPerMtok,
        @JsonProperty("output_per_mtok") BigDecimal outputPerMtok,
        @JsonProperty("per_request") BigDecimal perRequest) {

    /** The price of a model nobody priced (local models cost nothing). */
    public static final Price ZERO = new Price(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);

    public Price {
        Objects.requireNonNull(inputPerMtok, "inputPerMtok");
        Objects.requireNonNull(outputPerMtok, "outputPerMtok");
        Objects.requireNonNull(perRequest, "perRequest");
        if (inputPerMtok.signum() < 0 || outputPerMtok.signum() < 0 || perRequest.signum() < 0) {
            throw new IllegalArgumentException("prices must be >= 0");
        }
    }

    /**
     * The cost of one request in micro-dollars, rounded up to a whole micro-dollar. A price per million tokens in
     * USD is the same number of micro-dollars per token, so the cost is
     * {@code input × prompt + output × completion + perRequest × 10^6}, computed exactly. A cost beyond
     * {@link Long#MAX_VALUE} answers {@link Long#MAX_VALUE} (over-charging is the safe side).
     */
    public long costMicros(long promptTokens, long completionTokens) {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
        BigDecimal micros = inputPerMtok.multiply(BigDecimal.valueOf(promptTokens))
                .add(outputPerMtok.multiply(BigDecimal.valueOf(completionTokens)))
                .add(perRequest.movePointRight(6));
        BigDecimal whole = micros.setScale(0, RoundingMode.CEILING);
        return whole.compareTo(MAX_LONG) > 0 ? Long.MAX_VALUE : whole.longValueExact();
    }
}
