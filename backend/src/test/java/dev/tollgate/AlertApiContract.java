// Why: budget alert events are part of the admin API (GET /admin/api/alerts, newest first, paged, filtered by
// tenant); these checks run in every storage mode through GatewayContract.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.alerts.BudgetAlert;
import dev.tollgate.alerts.BudgetAlerts;
import dev.tollgate.support.Await;
import dev.tollgate.support.TestGateway;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admin API checks of budget alert events; a test class supplies the running gateway. */
public interface AlertApiContract {
    TestGateway gateway();

    private JsonNode alerts(String query) {
        var r = gateway().admin("GET", "/alerts" + query, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r.body());
    }

    @Test
    default void alertEventsAreListedNewestFirstPagedAndByTenant() {
        String tenant = TestGateway.json(gateway().admin("POST", "/tenants", "{\"name\":\"alerts-" + System.nanoTime() + "\"}").body())
                .path("id").asText();
        String key = TestGateway.json(gateway().admin("POST", "/tenants/" + tenant + "/keys", "{\"name\":\"a\"}").body())
                .path("id").asText();
        BudgetAlerts budgetAlerts = gateway().running().context().getBean(BudgetAlerts.class);
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            Instant start = day.plus(i, ChronoUnit.DAYS);
            BudgetAlert alert = new BudgetAlert(tenant, i == 1 ? null : key, "daily", start, 25_000_000, 20_500_000 + i,
                    new BigDecimal("0.8"), start.plus(1, ChronoUnit.HOURS));
            budgetAlerts.crossed(alert);
            budgetAlerts.crossed(alert);
            int expected = i + 1;
            Await.until(expected + " alert events", Duration.ofSeconds(10),
                    () -> alerts("?tenant=" + tenant).path("items").size() == expected);
        }
        JsonNode first = alerts("?tenant=" + tenant + "&limit=2");
        assertThat(first.path("items")).hasSize(2);
        assertThat(first.path("next_cursor").isTextual()).isTrue();
        JsonNode second = alerts("?tenant=" + tenant + "&limit=2&cursor=" + first.path("next_cursor").asText());
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("next_cursor").isNull()).isTrue();
        List<JsonNode> items = new ArrayList<>();
        first.path("items").forEach(items::add);
        second.path("items").forEach(items::add);
        assertThat(items).extracting(n -> n.path("window_start").asText())
                .containsExactly("2026-03-03T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z");

        JsonNode newest = items.get(0);
        assertThat(newest.path("id").asText()).startsWith("alr_");
        assertThat(newest.path("tenant_id").asText()).isEqualTo(tenant);
        assertThat(newest.path("key_id").asText()).isEqualTo(key);
        assertThat(items.get(1).path("key_id").isNull()).as("the tenant's own budget").isTrue();
        assertThat(newest.path("limit").asText()).isEqualTo("budget");
        assertThat(newest.path("window").asText()).isEqualTo("daily");
        assertThat(newest.path("amount").decimalValue()).isEqualByComparingTo("25");
        assertThat(newest.path("used").decimalValue()).isEqualByComparingTo("20.500002");
        assertThat(newest.path("alert_at").decimalValue()).isEqualByComparingTo("0.8");
        assertThat(newest.path("created_at").asText()).isEqualTo("2026-03-03T01:00:00Z");
        assertThat(newest.path("webhook").path("status").asText()).isEqualTo("not_configured");
        assertThat(newest.path("webhook").path("attempts").asInt()).isZero();
        assertThat(newest.path("webhook").has("last_error")).isTrue();

        List<String> everyTenant = new ArrayList<>();
        alerts("?limit=500").path("items").forEach(n -> everyTenant.add(n.path("id").asText()));
        assertThat(everyTenant).containsAll(items.stream().map(n -> n.path("id").asText()).toList());
    }

    @Test
    default void alertListingValidatesItsParameters() {
        assertThat(gateway().admin("GET", "/alerts?tenant=ten_missing", null).statusCode()).isEqualTo(404);
        var zero = gateway().admin("GET", "/alerts?limit=0", null);
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(zero.body()).path("error").path("field").asText()).isEqualTo("limit");
        assertThat(gateway().admin("GET", "/alerts?cursor=%27%20OR%201=1--", null).statusCode()).isEqualTo(400);
        var anonymous = gateway().send(HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api/alerts")).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(gateway().send(HttpRequest.newBuilder(URI.create(gateway().proxyUrl() + "/admin/api/alerts")).GET().build())
                .statusCode()).isEqualTo(404);
    }
}
