// Why: a report row and the report's totals carry the same five counts; money stays in integer micro-dollars
// until it is shown, so totals are exact sums of the rows.
package dev.tollgate.usage;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Requests, errors, tokens and cost (USD × 1e6) of some calls. */
public record UsageSums(long requests, long errors, long promptTokens, long completionTokens, long costMicros) {
    public static final UsageSums ZERO = new UsageSums(0, 0, 0, 0, 0);
    /** The names under which the sums are shown, in order. */
    public static final String[] NAMES = {"requests", "errors", "prompt_tokens", "completion_tokens", "cost"};

    public UsageSums plus(UsageSums o) {
        return new UsageSums(requests + o.requests, errors + o.errors, promptTokens + o.promptTokens,
                completionTokens + o.completionTokens, costMicros + o.costMicros);
    }

    public BigDecimal cost() {
        return Usd.ofMicros(costMicros);
    }

    /** The sums under {@link #NAMES}, cost in USD. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Object[] values = values();
        for (int i = 0; i < NAMES.length; i++) {
            m.put(NAMES[i], values[i]);
        }
        return m;
    }

    /** The values in the order of {@link #NAMES}. */
    public Object[] values() {
        return new Object[] {requests, errors, promptTokens, completionTokens, cost()};
    }
}
