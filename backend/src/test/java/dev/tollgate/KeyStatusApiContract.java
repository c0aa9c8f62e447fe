// Why: GET /admin/api/keys/{id}/status must show exactly what the limits have counted after real proxied requests
// (settled to the upstream's usage), for the key and its tenant, in both storage modes (run through LimitsContract).
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.support.AdminClient.NewKey;
import dev.tollgate.support.Await;
import dev.tollgate.support.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admin API checks of key status; a test class supplies the running gateway (TOLLGATE_TIMEZONE unset: UTC). */
public interface KeyStatusApiContract {
    TestGateway gateway();

    private JsonNode status(String keyId) {
        HttpResponse<String> r = gateway().admin("GET", "/keys/" + keyId + "/status", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r.body());
    }

    private static JsonNode limit(JsonNode status, String scope, String name) {
        for (JsonNode l : status.path("limits")) {
            if (l.path("scope").asText().equals(scope) && l.path("limit").asText().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no " + scope + " " + name + " in " + status);
    }

    private static List<String> names(JsonNode status) {
        List<String> names = new ArrayList<>();
        status.path("limits").forEach(l -> names.add(l.path("scope").asText() + " " + l.path("limit").asText()));
        return names;
    }

    /** Asserts max, used and remaining as JSON texts (money as plain USD decimals); answers resets_at. */
    private static Instant assertCounts(JsonNode status, String scope, String name, String max, String used, String remaining) {
        JsonNode l = limit(status, scope, name);
        assertThat(l.path("max").toString()).as(scope + " " + name + " max").isEqualTo(max);
        assertThat(l.path("used").toString()).as(scope + " " + name + " used").isEqualTo(used);
        assertThat(l.path("remaining").toString()).as(scope + " " + name + " remaining").isEqualTo(remaining);
        JsonNode reset = l.path("resets_at");
        return reset.isNull() ? null : OffsetDateTime.parse(reset.asText()).toInstant();
    }

    private static Instant nextUtcMidnight(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @Test
    default void statusShowsWhatTheKeyAndItsTenantHaveUsed() {
        assertThat(gateway().admin("PUT", "/pricing", "{\"qwen2.5:0.5b\":{\"per_request\":0.01}}").statusCode()).isEqualTo(200);
        NewKey k = gateway().keyWithLimits("{\"rpm\":50,\"daily_tokens\":100000}", "{\"rpm\":10,\"tpm\":5000,\"concurrency\":3,"
                + "\"monthly_requests\":100,\"budget\":{\"amount\":1.5,\"currency\":\"USD\",\"window\":\"daily\"}}");
        String body = "{\"model\":\"qwen2.5:0.5b\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Instant before = Instant.now();
        long tokens = 0;
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = gateway().send(HttpRequest.newBuilder(URI.create(gateway().proxyUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + k.key()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            tokens += TestGateway.json(r.body()).path("usage").path("total_tokens").asLong();
        }
        assertThat(tokens).isPositive();
        // a request settles (usage measured, slot released in one step) just after its response ends
        Await.until("both requests settled", Duration.ofSeconds(5),
                () -> limit(status(k.keyId()), "key", "concurrency").path("used").asLong() == 0);
        JsonNode s = status(k.keyId());
        Instant after = Instant.now();

        assertThat(s.path("key_id").asText()).isEqualTo(k.keyId());
        assertThat(s.path("tenant_id").asText()).isEqualTo(k.tenantId());
        assertThat(names(s)).containsExactly("key rpm", "key tpm", "key concurrency", "key monthly_requests", "key budget",
                "tenant rpm", "tenant daily_tokens");
        // sliding minute: whole again when the newest request's second has left the window
        assertThat(assertCounts(s, "key", "rpm", "10", "2", "8")).isAfter(before.plusSeconds(60)).isBeforeOrEqualTo(after.plusSeconds(61));
        assertThat(assertCounts(s, "key", "tpm", "5000", "" + tokens, "" + (5000 - tokens)))
                .isAfter(before.plusSeconds(60)).isBeforeOrEqualTo(after.plusSeconds(61));
        assertThat(assertCounts(s, "key", "concurrency", "3", "0", "3")).isNull();
        assertThat(assertCounts(s, "key", "monthly_requests", "100", "2", "98")).isEqualTo(
                LocalDate.ofInstant(after, ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThat(assertCounts(s, "key", "budget", "1.5", "0.02", "1.48")).isEqualTo(nextUtcMidnight(after));
        assertThat(limit(s, "key", "budget").path("currency").asText()).isEqualTo("USD");
        assertThat(limit(s, "key", "budget").path("window").asText()).isEqualTo("daily");
        assertThat(limit(s, "key", "rpm").has("currency")).isFalse();
        assertThat(assertCounts(s, "tenant", "rpm", "50", "2", "48")).isBeforeOrEqualTo(after.plusSeconds(61));
        assertThat(assertCounts(s, "tenant", "daily_tokens", "100000", "" + tokens, "" + (100000 - tokens)))
                .isEqualTo(nextUtcMidnight(after));

        // another key of the tenant, without limits of its own, sees the tenant's usage
        NewKey sibling = gateway().keyFor(k.tenantId(), "null");
        JsonNode t = status(sibling.keyId());
        assertThat(names(t)).containsExactly("tenant rpm", "tenant daily_tokens");
        assertCounts(t, "tenant", "rpm", "50", "2", "48");
    }

    @Test
    default void statusOfAKeyWithoutLimitsIsEmptyAndAnUnknownKeyIs404() {
        NewKey free = gateway().keyWithLimits("null", "null");
        JsonNode s = status(free.keyId());
        assertThat(s.path("limits").isArray()).isTrue();
        assertThat(s.path("limits")).isEmpty();

        HttpResponse<String> missing = gateway().admin("GET", "/keys/key_does_not_exist/status", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(missing.body()).path("error").path("message").asText()).isEqualTo("key not found");
    }
}
