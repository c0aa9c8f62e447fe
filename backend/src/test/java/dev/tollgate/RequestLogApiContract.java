// Why: the request log is part of the admin API (GET /admin/api/requests newest first, paged like every list,
// filtered; GET /admin/api/requests/{id} with the logged prompt); these checks run in every storage mode. Rows are
// recent (the retention job keeps them) and belong to tenants made for each test.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.config.Settings;
import dev.tollgate.support.TestGateway;
import dev.tollgate.usage.LedgerSeeder;
import dev.tollgate.usage.LedgerSeeder.Call;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Admin API checks of the request log; a test class supplies the running gateway. */
public interface RequestLogApiContract {
    TestGateway gateway();

    private String created(String path, String body) {
        HttpResponse<String> r = gateway().admin("POST", path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r.body()).path("id").asText();
    }

    private JsonNode requests(String query) {
        HttpResponse<String> r = gateway().admin("GET", "/requests" + query, null);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        return TestGateway.json(r.body());
    }

    /** Every id the list shows for {@code query}, following next_cursor with pages of {@code limit}. */
    private List<String> walk(String query, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = requests(query + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.path("items").size()).isLessThanOrEqualTo(limit);
            page.path("items").forEach(i -> ids.add(i.path("id").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            assertThat(++pages).as("pages end").isLessThan(100);
        } while (cursor != null);
        return ids;
    }

    private Instant now() {
        return gateway().running().context().getBean(Clock.class).instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    default void listsNewestFirstPagedOnceThroughEveryRowAndFiltered() {
        String t = created("/tenants", "{\"name\":\"requests-" + System.nanoTime() + "\"}");
        String k1 = created("/tenants/" + t + "/keys", "{\"name\":\"one\"}");
        String k2 = created("/tenants/" + t + "/keys", "{\"name\":\"two\"}");
        Instant now = now();
        List<Call> calls = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            Call c = LedgerSeeder.call(t, k1, now.minus(i, ChronoUnit.MINUTES)).model(i % 2 == 0 ? "llama3.2" : "qwen2.5")
                    .usage(i, 2L * i, 1000L * i);
            calls.add(i == 7 ? c.failed(429, "rate_limited") : i % 5 == 0 ? c.failed(502, "upstream_unreachable") : c);
        }
        Instant tie = now.minus(30, ChronoUnit.MINUTES);
        String tieId = "req_tie" + System.nanoTime();
        for (String suffix : new String[] {"b", "a", "c"}) {
            calls.add(LedgerSeeder.call(t, k2, tie).id(tieId + suffix));
        }
        LedgerSeeder.of(gateway().running().context()).write(calls);
        Comparator<Call> newestFirst = Comparator.comparing(Call::at).thenComparing(Call::id, Comparator.naturalOrder()).reversed();
        List<String> expected = calls.stream().sorted(newestFirst).map(Call::id).toList();

        assertThat(walk("?tenant=" + t, 5)).as("every row once, newest first, ties by id").containsExactlyElementsOf(expected);
        assertThat(walk("?tenant=" + t, 500)).containsExactlyElementsOf(expected);
        assertThat(walk("?tenant=" + t, 1)).containsExactlyElementsOf(expected);
        assertThat(walk("?key=" + k2, 2)).containsExactly(tieId + "c", tieId + "b", tieId + "a");
        assertThat(walk("?tenant=" + t + "&model=qwen2.5", 4)).containsExactlyElementsOf(ids(calls, newestFirst,
                c -> c.at().isAfter(tie) && ChronoUnit.MINUTES.between(c.at(), now) % 2 == 1));
        assertThat(walk("?tenant=" + t + "&status=5xx", 3)).hasSize(4);
        assertThat(walk("?tenant=" + t + "&status=429", 3)).hasSize(1);
        assertThat(walk("?tenant=" + t + "&status=200", 50)).hasSize(18);
        String from = OffsetDateTime.ofInstant(now.minus(10, ChronoUnit.MINUTES), ZoneId.of("+02:00")).toString();
        String to = now.minus(5, ChronoUnit.MINUTES).toString();
        assertThat(walk("?tenant=" + t + "&from=" + from.replace("+", "%2B") + "&to=" + to, 50))
                .as("exact times, both ends inclusive").containsExactlyElementsOf(ids(calls, newestFirst,
                        c -> !c.at().isBefore(now.minus(10, ChronoUnit.MINUTES)) && !c.at().isAfter(now.minus(5, ChronoUnit.MINUTES))))
                .hasSize(6);

        JsonNode item = requests("?tenant=" + t + "&limit=1").path("items").get(0);
        Call newest = calls.get(0);
        assertThat(item.path("id").asText()).isEqualTo(newest.id());
        assertThat(OffsetDateTime.parse(item.path("created_at").asText()).toInstant()).isEqualTo(newest.at());
        assertThat(item.path("tenant_id").asText()).isEqualTo(t);
        assertThat(item.path("key_id").asText()).isEqualTo(k1);
        assertThat(item.path("model").asText()).isEqualTo("qwen2.5");
        assertThat(item.path("upstream").asText()).isEqualTo("local");
        assertThat(item.path("endpoint").asText()).isEqualTo("/v1/chat/completions");
        assertThat(item.path("dialect").asText()).isEqualTo("openai");
        assertThat(item.path("status").asInt()).isEqualTo(200);
        assertThat(item.path("prompt_tokens").asLong()).isEqualTo(1);
        assertThat(item.path("completion_tokens").asLong()).isEqualTo(2);
        assertThat(item.path("estimated").asBoolean()).isFalse();
        assertThat(item.path("cost").isNumber()).isTrue();
        assertThat(item.path("cost").decimalValue()).isEqualByComparingTo("0.001");
        assertThat(item.path("ttfb_ms").asInt()).isEqualTo(12);
        assertThat(item.path("total_ms").asInt()).isEqualTo(340);
        assertThat(item.path("stream").asBoolean()).isTrue();
        assertThat(item.has("error_code") && item.path("error_code").isNull()).isTrue();
        assertThat(item.path("day").asText()).isEqualTo(LocalDate.ofInstant(newest.at(), zone()).toString());
        assertThat(item.has("prompt")).as("the list leaves prompts out").isFalse();
        JsonNode failed = requests("?tenant=" + t + "&status=429").path("items").get(0);
        assertThat(failed.path("error_code").asText()).isEqualTo("rate_limited");
        assertThat(failed.path("ttfb_ms").isNull()).isTrue();
        assertThat(failed.path("upstream").isNull()).isTrue();
    }

    private static List<String> ids(List<Call> calls, Comparator<Call> order, Predicate<Call> filter) {
        return calls.stream().filter(filter).sorted(order).map(Call::id).toList();
    }

    private ZoneId zone() {
        return gateway().running().context().getBean(Settings.class).timezone();
    }

    @Test
    default void datesAreWholeDaysOfTheZone() {
        String t = created("/tenants", "{\"name\":\"requests-days-" + System.nanoTime() + "\"}");
        String k = created("/tenants/" + t + "/keys", "{\"name\":\"k\"}");
        LocalDate today = LocalDate.ofInstant(now(), zone());
        Instant midnight = today.atStartOfDay(zone()).toInstant();
        Call before = LedgerSeeder.call(t, k, midnight.minusNanos(1000));
        Call after = LedgerSeeder.call(t, k, midnight);
        LedgerSeeder.of(gateway().running().context()).write(before, after);
        LocalDate yesterday = today.minusDays(1);
        assertThat(walk("?tenant=" + t + "&from=" + today + "&to=" + today, 10)).containsExactly(after.id());
        assertThat(walk("?tenant=" + t + "&from=" + yesterday + "&to=" + yesterday, 10)).containsExactly(before.id());
        assertThat(walk("?tenant=" + t + "&to=" + yesterday, 10)).containsExactly(before.id());
        assertThat(walk("?tenant=" + t + "&from=" + today, 10)).containsExactly(after.id());
        assertThat(walk("?tenant=" + t + "&from=" + yesterday + "&to=" + today, 10)).containsExactly(after.id(), before.id());
    }

    @Test
    default void oneRequestShowsItsPromptWhenTheKeyLoggedIt() {
        String t = created("/tenants", "{\"name\":\"requests-one-" + System.nanoTime() + "\"}");
        String k = created("/tenants/" + t + "/keys", "{\"name\":\"k\"}");
        String body = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo, \\\"world\\\"\\n\"}]}";
        Call logged = LedgerSeeder.call(t, k, now()).prompt(body).usage(3, 4, 5);
        Call unlogged = LedgerSeeder.call(t, k, now());
        LedgerSeeder.of(gateway().running().context()).write(logged, unlogged);

        HttpResponse<String> r = gateway().admin("GET", "/requests/" + logged.id(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode one = TestGateway.json(r.body());
        assertThat(one.path("id").asText()).isEqualTo(logged.id());
        assertThat(one.path("prompt").asText()).isEqualTo(body);
        assertThat(one.path("cost").decimalValue()).isEqualByComparingTo("0.000005");
        assertThat(one.path("tenant_id").asText()).isEqualTo(t);
        JsonNode listed = requests("?tenant=" + t).path("items");
        JsonNode sameInList = listed.get(0).path("id").asText().equals(logged.id()) ? listed.get(0) : listed.get(1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) one).remove("prompt");
        assertThat(one).as("the row as the list shows it, plus the prompt").isEqualTo(sameInList);

        JsonNode none = TestGateway.json(gateway().admin("GET", "/requests/" + unlogged.id(), null).body());
        assertThat(none.has("prompt") && none.path("prompt").isNull()).isTrue();
        HttpResponse<String> missing = gateway().admin("GET", "/requests/req_missing", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(missing.body()).path("error").path("message").asText()).isNotBlank();
    }

    @Test
    default void requestListParametersAreChecked() {
        String[][] cases = {
                {"?limit=0", "limit"},
                {"?limit=501", "limit"},
                {"?limit=ten", "limit"},
                {"?cursor=%27%20OR%201=1--", "cursor"},
                {"?cursor=123_zz", "cursor"},
                {"?cursor=_", "cursor"},
                {"?status=abc", "status"},
                {"?status=42", "status"},
                {"?status=6xx", "status"},
                {"?from=2024-02-30", "from"},
                {"?from=noon", "from"},
                {"?to=2024-03-01T10:00:00", "to"},
                {"?from=2024-03-02&to=2024-03-01", "to"},
                {"?from=2024-03-01T10:00:00Z&to=2024-03-01T09:59:59Z", "to"},
                {"?tenant=a&tenant=b", "tenant"},
                {"?sort=asc", "sort"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = gateway().admin("GET", "/requests" + c[0], null);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r.body()).path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(requests("?from=2024-03-01T10:00:00Z&to=2024-03-01T10:00:00Z").path("items").isArray())
                .as("one instant is a valid range").isTrue();
        assertThat(gateway().admin("GET", "/requests?tenant=ten_missing", null).statusCode()).isEqualTo(404);
        assertThat(gateway().admin("GET", "/requests?key=key_missing", null).statusCode()).isEqualTo(404);
    }
}
