// Why: the usage report is part of the admin API contract (GET /admin/api/usage: days in TOLLGATE_TIMEZONE, both
// ends inclusive, four groupings, filters, CSV, 400s naming the parameter); these checks run in every storage
// mode. Rows are written through the real ledger writer at chosen times, each test in a month of its own, so
// reports over every tenant are exact.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.config.Settings;
import dev.tollgate.support.TestGateway;
import dev.tollgate.usage.LedgerSeeder;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** Admin API checks of the usage report; a test class supplies the running gateway (in a zone other than UTC). */
public interface UsageApiContract {
    String[] SUMS = {"requests", "errors", "prompt_tokens", "completion_tokens", "cost"};

    TestGateway gateway();

    private LedgerSeeder ledger() {
        return LedgerSeeder.of(gateway().running().context());
    }

    private ZoneId zone() {
        return gateway().running().context().getBean(Settings.class).timezone();
    }

    /** Creates a tenant named {@code name}; answers its id. */
    private String tenant(String name) {
        HttpResponse<String> r = gateway().admin("POST", "/tenants", "{\"name\":\"" + name + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r.body()).path("id").asText();
    }

    /** Creates a key named {@code name} of {@code tenant}; answers its id. */
    private String key(String tenant, String name) {
        HttpResponse<String> r = gateway().admin("POST", "/tenants/" + tenant + "/keys", "{\"name\":\"" + name + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r.body()).path("id").asText();
    }

    private JsonNode usage(String query) {
        HttpResponse<String> r = gateway().admin("GET", "/usage" + query, null);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return TestGateway.json(r.body());
    }

    /** The rows of a report as "label|label|requests|errors|prompt_tokens|completion_tokens|cost". */
    private static List<String> lines(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("rows").forEach(row -> out.add(line(row)));
        return out;
    }

    private static String line(JsonNode row) {
        List<String> cells = new ArrayList<>();
        row.fields().forEachRemaining(f -> {
            if (f.getKey().equals("cost")) {
                assertThat(f.getValue().isNumber()).as("cost is a JSON number").isTrue();
                cells.add(f.getValue().decimalValue().stripTrailingZeros().toPlainString());
            } else {
                cells.add(f.getValue().isNull() ? "null" : f.getValue().asText());
            }
        });
        return String.join("|", cells);
    }

    private static Instant at(String localTime, ZoneId zone) {
        return LocalDateTime.parse(localTime).atZone(zone).toInstant();
    }

    @Test
    default void reportsEveryGroupingWithInclusiveDaysOfTheZone() {
        ZoneId z = zone();
        String t1Name = "usage-one-" + System.nanoTime();
        String t2Name = "usage-two-" + System.nanoTime();
        String t1 = tenant(t1Name);
        String t2 = tenant(t2Name);
        String k1 = key(t1, "alpha");
        String k2 = key(t1, "beta");
        String k3 = key(t2, "gamma");
        LedgerSeeder ledger = ledger();
        ledger.write(
                // the last micro-second of the day before `from`, then the first one of `from`, local time
                LedgerSeeder.call(t1, k1, at("2024-02-29T23:59:59.999999", z)).usage(1, 1, 1),
                LedgerSeeder.call(t1, k1, at("2024-03-01T00:00:00", z)).usage(100, 200, 1_500_000),
                LedgerSeeder.call(t1, k1, at("2024-03-05T10:00:00", z)).model("qwen2.5").usage(50, 0, 0)
                        .failed(502, "upstream_unreachable"),
                LedgerSeeder.call(t1, k2, at("2024-03-05T11:00:00", z)).usage(10, 20, 250),
                LedgerSeeder.call(t1, k2, at("2024-03-05T12:00:00", z)).model(null).failed(400, "bad_request"),
                // the last second of `to`, then the first instant after it
                LedgerSeeder.call(t2, k3, at("2024-03-31T23:59:59", z)).model("qwen2.5").usage(7, 3, 1),
                LedgerSeeder.call(t2, k3, at("2024-04-01T00:00:00", z)).model("qwen2.5").usage(9, 9, 9));
        assertThat(gateway().admin("DELETE", "/tenants/" + t2, null).statusCode()).isEqualTo(204);
        String range = "?from=2024-03-01&to=2024-03-31";

        JsonNode byDay = usage(range);
        assertThat(byDay.path("from").asText()).isEqualTo("2024-03-01");
        assertThat(byDay.path("to").asText()).isEqualTo("2024-03-31");
        assertThat(byDay.path("group_by").asText()).isEqualTo("day");
        assertThat(lines(byDay)).containsExactly(
                "2024-03-01|1|0|100|200|1.5",
                "2024-03-05|3|2|60|20|0.00025",
                "2024-03-31|1|0|7|3|0.000001");
        String totals = "5|2|167|223|1.500251";
        assertThat(line(byDay.path("totals"))).isEqualTo(totals);
        assertThat(usage(range + "&group_by=day").path("rows")).isEqualTo(byDay.path("rows"));

        JsonNode byModel = usage(range + "&group_by=model");
        assertThat(lines(byModel)).containsExactly(
                "llama3.2|2|0|110|220|1.50025",
                "qwen2.5|2|1|57|3|0.000001",
                "null|1|1|0|0|0");
        assertThat(line(byModel.path("totals"))).isEqualTo(totals);

        JsonNode byKey = usage(range + "&group_by=key");
        assertThat(lines(byKey)).containsExactly(
                k1 + "|alpha|" + t1 + "|2|1|150|200|1.5",
                k2 + "|beta|" + t1 + "|2|1|10|20|0.00025",
                k3 + "|gamma|" + t2 + "|1|0|7|3|0.000001");
        assertThat(line(byKey.path("totals"))).isEqualTo(totals);

        JsonNode byTenant = usage(range + "&group_by=tenant");
        assertThat(lines(byTenant)).as("a deleted tenant keeps its name and usage").containsExactly(
                t1 + "|" + t1Name + "|4|2|160|220|1.50025",
                t2 + "|" + t2Name + "|1|0|7|3|0.000001");
        assertThat(line(byTenant.path("totals"))).isEqualTo(totals);

        // filters, alone and together
        assertThat(lines(usage(range + "&group_by=model&tenant=" + t1))).containsExactly(
                "llama3.2|2|0|110|220|1.50025", "qwen2.5|1|1|50|0|0", "null|1|1|0|0|0");
        assertThat(lines(usage(range + "&key=" + k3))).containsExactly("2024-03-31|1|0|7|3|0.000001");
        assertThat(lines(usage(range + "&group_by=key&model=qwen2.5"))).containsExactly(
                k3 + "|gamma|" + t2 + "|1|0|7|3|0.000001", k1 + "|alpha|" + t1 + "|1|1|50|0|0");
        assertThat(lines(usage(range + "&group_by=tenant&tenant=" + t2))).containsExactly(
                t2 + "|" + t2Name + "|1|0|7|3|0.000001");
        JsonNode none = usage(range + "&tenant=" + t1 + "&key=" + k3);
        assertThat(none.path("rows")).isEmpty();
        assertThat(line(none.path("totals"))).isEqualTo("0|0|0|0|0");

        // one day at each end of the range: both ends are inclusive
        assertThat(lines(usage("?from=2024-02-29&to=2024-03-01"))).containsExactly(
                "2024-02-29|1|0|1|1|0.000001", "2024-03-01|1|0|100|200|1.5");
        assertThat(lines(usage("?from=2024-03-31&to=2024-04-01&group_by=tenant"))).containsExactly(
                t2 + "|" + t2Name + "|2|0|16|12|0.00001");
    }

    @Test
    default void defaultsToThisMonthSoFarInTheZone() {
        ZoneId z = zone();
        Instant now = gateway().running().context().getBean(Clock.class).instant();
        LocalDate today = LocalDate.ofInstant(now, z);
        LocalDate first = today.withDayOfMonth(1);
        String t = tenant("usage-default-" + System.nanoTime());
        String k = key(t, "k");
        Instant monthStart = first.atStartOfDay(z).toInstant();
        ledger().write(
                LedgerSeeder.call(t, k, monthStart.minusNanos(1000)).usage(1, 0, 1),
                LedgerSeeder.call(t, k, monthStart).usage(10, 0, 10),
                LedgerSeeder.call(t, k, now).usage(100, 0, 100),
                LedgerSeeder.call(t, k, today.plusDays(1).atStartOfDay(z).toInstant()).usage(1000, 0, 1000));
        JsonNode report = usage("?tenant=" + t);
        assertThat(report.path("from").asText()).isEqualTo(first.toString());
        assertThat(report.path("to").asText()).isEqualTo(today.toString());
        List<String> expected = first.equals(today)
                ? List.of(today + "|2|0|110|0|0.00011")
                : List.of(first + "|1|0|10|0|0.00001", today + "|1|0|100|0|0.0001");
        assertThat(lines(report)).containsExactlyElementsOf(expected);
        assertThat(line(report.path("totals"))).isEqualTo("2|0|110|0|0.00011");

        // only `from`: until today; only `to`: from the first of this month
        LocalDate lastMonth = first.minusMonths(1);
        assertThat(line(usage("?tenant=" + t + "&from=" + lastMonth).path("totals"))).isEqualTo("3|0|111|0|0.000111");
        assertThat(line(usage("?tenant=" + t + "&to=" + today.plusDays(1)).path("totals"))).isEqualTo("3|0|1110|0|0.00111");
    }

    @Test
    default void csvHasTheJsonRowsWithAHeaderAndQuotedNames() throws IOException {
        ZoneId z = zone();
        String t = tenant("usage-csv-" + System.nanoTime());
        String formula = key(t, "formula");
        String plain = key(t, "plain");
        LedgerSeeder ledger = ledger();
        // names the admin API refuses (line breaks) may still be in older data: the CSV must survive them
        String tenantName = "Acme, \"Big\"\nCorp " + System.nanoTime();
        ledger.sql("UPDATE tenants SET name = ? WHERE id = ?", tenantName, t);
        ledger.sql("UPDATE api_keys SET name = ? WHERE id = ?", "=HYPERLINK(\"http://x\",\"y\")", formula);
        ledger.write(
                LedgerSeeder.call(t, formula, at("2023-07-10T12:00:00", z)).model("odd,\"model\"").usage(1, 2, 3),
                LedgerSeeder.call(t, plain, at("2023-07-11T12:00:00", z)).usage(4, 5, 6_000_000),
                LedgerSeeder.call(t, plain, at("2023-07-11T13:00:00", z)).model(null).failed(400, "bad_request"));
        String range = "?from=2023-07-01&to=2023-07-31";
        String[][] headers = {
                {"day", "requests", "errors", "prompt_tokens", "completion_tokens", "cost"},
                {"model", "requests", "errors", "prompt_tokens", "completion_tokens", "cost"},
                {"key_id", "key_name", "tenant_id", "requests", "errors", "prompt_tokens", "completion_tokens", "cost"},
                {"tenant_id", "tenant_name", "requests", "errors", "prompt_tokens", "completion_tokens", "cost"}};
        String[] groups = {"day", "model", "key", "tenant"};
        for (int g = 0; g < groups.length; g++) {
            String query = range + "&group_by=" + groups[g];
            JsonNode json = usage(query);
            assertThat(json.path("rows").size()).as(query).isGreaterThan(0);
            for (boolean viaAccept : new boolean[] {true, false}) {
                HttpResponse<String> r = csv(viaAccept ? query : query + "&format=csv", viaAccept);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
                assertThat(r.headers().firstValue("content-disposition")).hasValue(
                        "attachment; filename=\"tollgate-usage-by-" + groups[g] + "-2023-07-01-to-2023-07-31.csv\"");
                List<CSVRecord> records;
                try (CSVParser parser = CSVParser.parse(new StringReader(r.body()), CSVFormat.RFC4180)) {
                    records = parser.getRecords();
                }
                assertThat(records.get(0).toList()).as(query).containsExactly(headers[g]);
                List<CSVRecord> rows = records.subList(1, records.size());
                assertThat(rows).hasSize(json.path("rows").size());
                long[] sums = new long[4];
                BigDecimal cost = BigDecimal.ZERO;
                for (int i = 0; i < rows.size(); i++) {
                    JsonNode expected = json.path("rows").get(i);
                    List<String> cells = rows.get(i).toList();
                    assertThat(cells).hasSize(headers[g].length);
                    for (int c = 0; c < headers[g].length - SUMS.length; c++) {
                        JsonNode label = expected.path(headers[g][c]);
                        String text = label.isNull() ? "" : label.asText();
                        assertThat(cells.get(c)).isEqualTo(text.startsWith("=") ? "'" + text : text);
                    }
                    int first = headers[g].length - SUMS.length;
                    for (int s = 0; s < 4; s++) {
                        assertThat(Long.parseLong(cells.get(first + s))).isEqualTo(expected.path(SUMS[s]).asLong());
                        sums[s] += Long.parseLong(cells.get(first + s));
                    }
                    assertThat(new BigDecimal(cells.get(first + 4))).isEqualByComparingTo(expected.path("cost").decimalValue());
                    cost = cost.add(new BigDecimal(cells.get(first + 4)));
                }
                assertThat(sums[0] + "|" + sums[1] + "|" + sums[2] + "|" + sums[3] + "|" + cost.stripTrailingZeros().toPlainString())
                        .as("the CSV rows add up to the report's totals").isEqualTo(line(json.path("totals")))
                        .isEqualTo("3|1|5|7|6.000003");
            }
        }
        HttpResponse<String> byTenant = csv(range + "&group_by=tenant", true);
        assertThat(byTenant.body()).contains("\"Acme, \"\"Big\"\"\nCorp ").endsWith("\r\n");
        HttpResponse<String> byKey = csv(range + "&group_by=key", true);
        assertThat(byKey.body()).as("a formula is defused").contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",");
    }

    private HttpResponse<String> csv(String query, boolean viaAccept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api/usage" + query))
                .header("Authorization", "Bearer " + gateway().adminToken()).GET();
        if (viaAccept) {
            b.header("Accept", "text/csv");
        }
        return gateway().send(b.build());
    }

    @Test
    default void usageParametersAreChecked() {
        String[][] cases = {
                {"?from=2024-13-01", "from"},
                {"?from=2024-02-30", "from"},
                {"?from=20240301", "from"},
                {"?from=yesterday", "from"},
                {"?to=2024-3-1", "to"},
                {"?from=2024-03-02&to=2024-03-01", "to"},
                {"?from=2999-01-01", "from"},
                {"?from=2020-01-01&to=2024-01-01", "to"},
                {"?from=2023-01-01&to=2024-01-02", "to"},
                {"?group_by=week", "group_by"},
                {"?group_by=DAY", "group_by"},
                {"?format=xml", "format"},
                {"?tenantid=x", "tenantid"},
                {"?from=2024-03-01&from=2024-03-02", "from"},
                {"?tenant=" + "t".repeat(201), "tenant"},
                {"?model=a%01b", "model"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = gateway().admin("GET", "/usage" + c[0], null);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            JsonNode error = TestGateway.json(r.body()).path("error");
            assertThat(error.path("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(error.path("message").asText()).as(c[0]).startsWith(c[1] + " ");
        }
        assertThat(usage("?from=2023-01-01&to=2023-12-31").path("rows").isArray()).as("366 days are allowed").isTrue();
        assertThat(usage("?from=2024-03-01&to=2024-03-01&model=&tenant=").path("to").asText()).as("empty is absent")
                .isEqualTo("2024-03-01");
        assertThat(gateway().admin("GET", "/usage?tenant=ten_missing", null).statusCode()).isEqualTo(404);
        assertThat(gateway().admin("GET", "/usage?key=key_missing", null).statusCode()).isEqualTo(404);
        HttpResponse<String> csvError = csv("?group_by=week", true);
        assertThat(csvError.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(csvError.body()).path("error").path("field").asText()).isEqualTo("group_by");
        assertThat(gateway().send(HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api/usage")).GET().build())
                .statusCode()).isEqualTo(401);
        assertThat(gateway().send(HttpRequest.newBuilder(URI.create(gateway().proxyUrl() + "/admin/api/usage")).GET().build())
                .statusCode()).isEqualTo(404);
    }
}
