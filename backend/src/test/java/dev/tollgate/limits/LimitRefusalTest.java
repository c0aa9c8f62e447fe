// Why: a refusal's message is what a developer reads in their client's exception; it must name the limit, whose it
// is, its size in plain units and when to retry, and the 429's kind must follow the contract (rate vs quota).
package dev.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limits.Meter.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitRefusalTest {

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "k:key_1|rpm|REQUESTS|MINUTE_SLIDING|10|7|true|Rate limit reached for this key: rpm is 10 requests per minute. Retry after 7 s.",
            "t|tpm|TOKENS|MINUTE_SLIDING|5000|1|true|Rate limit reached for this key's tenant: tpm is 5000 tokens per minute. Retry after 1 s.",
            "k:key_1|concurrency|CONCURRENCY|none|2|0|true|Rate limit reached for this key: concurrency is 2 requests in flight. Retry after 1 s.",
            "k:key_1|daily_requests|REQUESTS|DAILY|100|3600|false|Quota exhausted for this key: daily_requests is 100 requests per daily window. Retry after 3600 s.",
            "t|monthly_tokens|TOKENS|MONTHLY|1000000|86400|false|Quota exhausted for this key's tenant: monthly_tokens is 1000000 tokens per monthly window. Retry after 86400 s.",
            "t|budget|MICROS|H5|25000000|60|false|Budget exhausted for this key's tenant: budget is 25 USD per 5h window. Retry after 60 s.",
            "k:key_1|budget|MICROS|TOTAL|1500000|86400|false|Budget exhausted for this key: budget is 1.5 USD in total. Retry after 86400 s.",
    })
    void namesTheLimitWhoseItIsAndWhenToRetry(String scope, String name, Quantity q, WindowKind w, long limit,
                                              long retry, boolean rate, String message) {
        LimitRefusal r = new LimitRefusal(new Meter(scope, name, q, w, limit), retry);
        assertThat(r.getMessage()).isEqualTo(message);
        assertThat(r.isRate()).isEqualTo(rate);
        assertThat(r.retryAfterSeconds()).isEqualTo(Math.max(1, retry));
    }
}
