// Why: the price table is part of the admin API contract (GET|PUT /admin/api/pricing, merge, null removes,
// 400s naming the field); these checks run in every storage mode through GatewayContract.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.support.TestGateway;
import dev.tollgate.usage.PriceBook;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Admin API checks of model pricing; a test class supplies the running gateway. */
public interface PricingApiContract {
    TestGateway gateway();

    private JsonNode put(String body) {
        HttpResponse<String> r = gateway().admin("PUT", "/pricing", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r.body());
    }

    @Test
    default void pricesAreMergedReplacedAndRemovedThroughTheAdminApi() {
        String m = "price-" + System.nanoTime();
        JsonNode table = put("{\"" + m + "-a:7b\":{\"input_per_mtok\":0.15,\"output_per_mtok\":0.6},"
                + "\"" + m + "-b\":{\"per_request\":0.002}}");
        JsonNode a = table.path(m + "-a:7b");
        assertThat(a.path("input_per_mtok").decimalValue()).isEqualByComparingTo("0.15");
        assertThat(a.path("output_per_mtok").decimalValue()).isEqualByComparingTo("0.6");
        assertThat(a.path("per_request").isNumber()).isTrue();
        assertThat(a.path("per_request").decimalValue()).isEqualByComparingTo("0");
        assertThat(table.path(m + "-b").path("input_per_mtok").decimalValue()).isEqualByComparingTo("0");

        JsonNode merged = put("{\"" + m + "-a:7b\":{\"input_per_mtok\":1}}");
        assertThat(merged.path(m + "-a:7b").path("input_per_mtok").decimalValue()).isEqualByComparingTo("1");
        assertThat(merged.path(m + "-a:7b").path("output_per_mtok").decimalValue()).as("a missing member is 0").isEqualByComparingTo("0");
        assertThat(merged.path(m + "-b").path("per_request").decimalValue()).isEqualByComparingTo("0.002");

        // the same model under Ollama's implicit tag is one entry, shown under the name last written
        JsonNode retagged = put("{\"" + m + "-b:latest\":{\"per_request\":0.003}}");
        assertThat(retagged.has(m + "-b")).isFalse();
        assertThat(retagged.path(m + "-b:latest").path("per_request").decimalValue()).isEqualByComparingTo("0.003");

        // prices are exact decimals, and this replica's PriceBook has them at once
        put("{\"" + m + "-c\":{\"input_per_mtok\":0.123456789012,\"output_per_mtok\":123456.000000000001}}");
        String raw = gateway().admin("GET", "/pricing", null).body();
        assertThat(raw).contains("0.123456789012").contains("123456.000000000001");
        PriceBook book = gateway().running().context().getBean(PriceBook.class);
        assertThat(book.priceOf(m + "-c:latest").inputPerMtok()).isEqualByComparingTo("0.123456789012");
        assertThat(book.priceOf(m + "-B").perRequest()).isEqualByComparingTo("0.003");
        assertThat(book.priceOf(m + "-a:7b").costMicros(1000, 1000)).isEqualTo(1000);

        JsonNode removed = put("{\"" + m + "-a:7b\":null,\"" + m + "-b\":null,\"" + m + "-never-priced\":null}");
        assertThat(removed.has(m + "-a:7b")).isFalse();
        assertThat(removed.has(m + "-b:latest")).isFalse();
        assertThat(removed.has(m + "-c")).isTrue();
        assertThat(TestGateway.json(gateway().admin("GET", "/pricing", null).body()).has(m + "-a:7b")).isFalse();
        assertThat(book.priceOf(m + "-a:7b").inputPerMtok()).isEqualByComparingTo("0");
        put("{\"" + m + "-c\":null}");
    }

    @Test
    default void pricingValidationNamesTheFieldAndChangesNothing() {
        String m = "bad-" + System.nanoTime();
        String[][] cases = {
                {"[]", null},
                {"\"x\"", null},
                {"{\"" + m + "\":5}", m},
                {"{\"" + m + "\":{\"input_per_mtok\":-1}}", m + ".input_per_mtok"},
                {"{\"" + m + "\":{\"input_per_mtok\":\"1\"}}", m + ".input_per_mtok"},
                {"{\"" + m + "\":{\"output_per_mtok\":1e7}}", m + ".output_per_mtok"},
                {"{\"" + m + "\":{\"per_request\":0.0000000000001}}", m + ".per_request"},
                {"{\"" + m + "\":{\"per_request\":true}}", m + ".per_request"},
                {"{\"" + m + "\":{\"cached_per_mtok\":1}}", m + ".cached_per_mtok"},
                {"{\"a b\":{}}", "a b"},
                {"{\"\":{}}", ""},
                {"{\"" + "x".repeat(201) + "\":{}}", "x".repeat(200) + "..."},
                {"{\"" + m + "\":{},\"" + m.toUpperCase() + ":latest\":{}}", m.toUpperCase() + ":latest"},
                {"{\"" + m + "-ok\":{\"input_per_mtok\":1},\"" + m + "\":{\"input_per_mtok\":-0.5}}", m + ".input_per_mtok"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = gateway().admin("PUT", "/pricing", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode error = TestGateway.json(r.body()).path("error");
            assertThat(error.path("message").asText()).as(c[0]).isNotBlank();
            if (c[1] == null) {
                assertThat(error.path("field").isNull()).as(c[0]).isTrue();
            } else {
                assertThat(error.path("field").asText()).as(c[0]).isEqualTo(c[1]);
            }
        }
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= 1000; i++) {
            many.append(i == 0 ? "" : ",").append("\"").append(m).append("-").append(i).append("\":{}");
        }
        assertThat(gateway().admin("PUT", "/pricing", many.append("}").toString()).statusCode()).isEqualTo(400);
        HttpResponse<String> malformed = gateway().admin("PUT", "/pricing", "{\"x\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(malformed.body()).path("error").path("message").asText()).contains("not valid JSON");
        assertThat(gateway().admin("GET", "/pricing", null).body()).doesNotContain(m);
    }
}
