// Why: the issue demands that malformed bodies, wrong types, oversized fields and SQL metacharacters sent to every
// admin endpoint answer 400 (naming the field) with nothing changed; one table of endpoints and their inputs
// drives it, so a new endpoint is one more row. Valid text with SQL metacharacters is stored verbatim.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.support.AdminUpstreams;
import dev.tollgate.support.TestGateway;
import io.micronaut.jdbc.DataSourceResolver;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The malformed-input sweep of the admin API; a test class supplies the running gateway. */
public interface AdminInputSweepContract {
    String DROP = "'; DROP TABLE tenants;--";
    String OR = "\" OR 1=1 --";
    String LONG = "x".repeat(10_000);
    /** Over the 1000 characters a query value may have, within the URL length the server reads at all (4 KiB). */
    String LONG_PARAM = "x".repeat(1500);
    /** Bodies no endpoint taking a JSON object accepts. */
    List<String> NOT_OBJECTS = List.of("not json", "{\"name\":", "[]", "[{}]", "42", "null", "\"text\"", "true", "", "{}}");

    /** A JSON member and the values it must refuse (JSON literals), naming {@code field} (prefix) in the 400. */
    record Bad(String field, List<String> values) {
        static Bad of(String field, String... values) {
            return new Bad(field, List.of(values));
        }
    }

    /**
     * An endpoint taking a JSON body: method, path ({tenant} and {key} are filled in), the members of a valid body
     * (name to JSON literal; each bad member is sent with the others valid) and the bad members.
     */
    record BodyRoute(String method, String path, Map<String, String> valid, List<Bad> bad) {
        /** Rotation alone takes no body at all (no grace). */
        boolean bodyRequired() {
            return !path.endsWith("/rotate");
        }
    }

    /** An endpoint taking query parameters, each with values it must refuse with 400 naming the parameter. */
    record QueryRoute(String path, Map<String, List<String>> bad) {
    }

    /** Limits members shared by tenants and keys. */
    static List<Bad> limits(String prefix) {
        return List.of(
                Bad.of(prefix, quote(DROP), "[]", "5", "true", "{\"rpm\":1," + quote(DROP) + ":1}"),
                Bad.of(prefix + ".rpm", "-1", "1.5", "\"10\"", quote(OR), "1" + "0".repeat(400), "{}"),
                Bad.of(prefix + ".tpm", "true", "[1]", "1e400"),
                Bad.of(prefix + ".budget", quote(DROP), "7", "{\"amount\":1,\"currency\":\"USD\",\"window\":" + quote(DROP) + "}",
                        "{\"amount\":" + quote(OR) + ",\"currency\":\"USD\",\"window\":\"daily\"}"));
    }

    /** Every admin endpoint with a body (logout takes none and ignores one). */
    static List<BodyRoute> bodyRoutes() {
        List<Bad> tenant = new ArrayList<>(List.of(
                Bad.of("name", "\"\"", quote(LONG), "5", "null", "[\"a\"]", "{}", "true", "\"a\\u0000b\""),
                Bad.of("allowed_models", quote(DROP), "5", "{}", "[" + quote(OR) + "]", "[5]", "[" + quote(LONG) + "]", "[null]"),
                Bad.of("disabled", "\"true\"", "1", "null", quote(OR)),
                Bad.of(DROP, "1"), Bad.of("id", "\"ten_x\"")));
        tenant.addAll(limits("limits"));
        List<Bad> key = new ArrayList<>(List.of(
                Bad.of("name", "\"\"", quote(LONG), "5", "{}", "\"a\\u0007\""),
                Bad.of("allowed_models", "\"*\"", "[\"a b\"]", "[" + quote(DROP) + "]", "[1]"),
                Bad.of("expires_at", quote(DROP), "\"2026-13-45T00:00:00Z\"", "\"2099-01-01\"", "1700000000", quote(LONG),
                        "\"2001-01-01T00:00:00Z\""),
                Bad.of("log_prompts", "\"yes\"", "0"),
                Bad.of("tenant_id", "\"ten_other\""), Bad.of(OR, "1")));
        key.addAll(limits("limits"));
        Map<String, String> user = Map.of("username", "\"sweep-user\"", "password", "\"a-long-password\"", "role", "\"viewer\"");
        List<Bad> users = List.of(
                Bad.of("username", "5", "\"\"", quote(LONG), "null", "[]"),
                Bad.of("password", "\"short\"", quote(LONG), "5", "{}"),
                Bad.of("role", "\"root\"", quote(DROP), "5", "null"),
                Bad.of("tenant_id", quote(DROP), "5"),
                Bad.of(OR, "1"));
        Map<String, String> upstream = Map.of("name", "\"sweep-ups\"", "kind", "\"ollama\"",
                "base_url", quote(AdminUpstreams.NOWHERE), "enabled", "false");
        List<Bad> upstreams = List.of(
                Bad.of("name", "\"\"", quote("n".repeat(101)), quote(LONG), "5", "null", "[]", "\"a\\u0000b\""),
                Bad.of("kind", "\"OLLAMA\"", "\"anthropic\"", quote(DROP), "5", "null"),
                Bad.of("base_url", quote(DROP), "\"ftp://h\"", "\"localhost:11434\"", "\"/v1\"", "\"http://u:p@h\"",
                        "\"http://h/?q=1\"", "\"http://h/#f\"", "\"http://h:99999\"", quote("http://h/" + "p".repeat(2048)),
                        quote(LONG), "5", "null", "{}"),
                Bad.of("api_key", "5", "[]", "\"\"", quote("k".repeat(4097)), quote(LONG), "{}"),
                Bad.of("weight", "0", "1001", "-1", "\"1\"", "1.5", "null", "1" + "0".repeat(400), quote(OR)),
                Bad.of("enabled", "\"true\"", "1", "null"),
                Bad.of("id", "\"ups_x\""), Bad.of("has_api_key", "true"), Bad.of(DROP, "1"));
        return List.of(
                new BodyRoute("POST", "/tenants", Map.of("name", "\"sweep-ok\""), tenant),
                new BodyRoute("PATCH", "/tenants/{tenant}", Map.of(), tenant),
                new BodyRoute("POST", "/tenants/{tenant}/keys", Map.of("name", "\"k\""), key),
                new BodyRoute("PATCH", "/keys/{key}", Map.of(), key),
                new BodyRoute("PUT", "/pricing", Map.of(), List.of(
                        Bad.of("sweep-model", "5", quote(DROP), "[]", "{\"input_per_mtok\":" + quote(OR) + "}",
                                "{\"input_per_mtok\":-1}", "{\"per_request\":1" + "0".repeat(400) + "}", "{" + quote(DROP) + ":1}"),
                        Bad.of(DROP, "{}"), Bad.of(LONG, "{}"))),
                new BodyRoute("POST", "/login", Map.of("username", "\"admin\"", "password", "\"not-the-password\""), List.of(
                        Bad.of("username", "5", "\"\"", quote(LONG), "null"),
                        Bad.of("password", "[]", quote(LONG)),
                        Bad.of(DROP, "\"x\""))),
                new BodyRoute("POST", "/keys/{key}/rotate", Map.of(), List.of(
                        Bad.of("grace_seconds", "-1", "604801", "\"5\"", "1.5", "[]", quote(DROP), "1" + "0".repeat(400)),
                        Bad.of(DROP, "1"))),
                new BodyRoute("POST", "/users", user, users),
                new BodyRoute("PATCH", "/users/{user}", Map.of(), users),
                new BodyRoute("POST", "/me/password",
                        Map.of("current_password", "\"some-password\"", "new_password", "\"a-long-new-password\""), List.of(
                        Bad.of("current_password", "5", "\"\"", quote(LONG), "null", "[]"),
                        Bad.of("new_password", "\"short\"", quote(LONG), "5", "null", "{}"),
                        Bad.of(DROP, "1"))),
                new BodyRoute("POST", "/upstreams", upstream, upstreams),
                new BodyRoute("PATCH", "/upstreams/{ups}", Map.of(), upstreams));
    }

    /** Every admin endpoint with query parameters. */
    static List<QueryRoute> queryRoutes() {
        List<String> numbers = List.of("abc", DROP, "1e3", "99999999999999999999", "-1", "0", "501");
        List<String> cursors = List.of(DROP, OR, "garbage!!", LONG_PARAM);
        List<String> dates = List.of(DROP, "2026-13-45", "2026-02-30", "yesterday", LONG_PARAM);
        Map<String, List<String>> paged = Map.of("limit", numbers, "cursor", cursors);
        return List.of(
                new QueryRoute("/tenants", paged),
                new QueryRoute("/tenants/{tenant}/keys", paged),
                new QueryRoute("/alerts", paged),
                new QueryRoute("/upstreams", paged),
                new QueryRoute("/audit", Map.of("limit", numbers, "cursor", cursors, "action", List.of(DROP, "tenant.explode"),
                        "target_type", List.of(OR, "table"), "from", dates, "to", dates, "actor", List.of(LONG_PARAM))),
                new QueryRoute("/usage", Map.of("from", dates, "to", dates, "group_by", List.of(DROP, "hour"),
                        "format", List.of(OR, "xml"), "model", List.of(LONG_PARAM), "tenant", List.of(LONG_PARAM), DROP, List.of("1"))),
                new QueryRoute("/requests", Map.of("limit", numbers, "cursor", cursors, "status", List.of(DROP, "abc", "9999"),
                        "from", dates, "to", dates, "model", List.of(LONG_PARAM), OR, List.of("1"))));
    }

    TestGateway gateway();

    private HttpResponse<String> call(String method, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api" + path))
                .header("Authorization", "Bearer " + gateway().adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return gateway().send(b.build());
    }

    /** Counts and digests of every table an admin call could change (keys without last_used_at, which use moves). */
    private Map<String, String> snapshot() {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> queries = Map.of(
                "tenants", "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t.id)), '') from tenants t",
                "api_keys", "select count(*) || ':' || coalesce(md5(string_agg((t.id, t.tenant_id, t.name, t.limits, t.allowed_models,"
                        + " t.expires_at, t.revoked_at, t.updated_at)::text, '|' order by t.id)), '') from api_keys t",
                "model_prices", "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from model_prices t",
                "audit_log", "select count(*)::text from audit_log",
                "admin_users", "select count(*)::text from admin_users",
                "upstreams", "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t.id)), '') from upstreams t");
        try (Connection c = database().getConnection(); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> q : new java.util.TreeMap<>(queries).entrySet()) {
                try (ResultSet rs = s.executeQuery(q.getValue())) {
                    rs.next();
                    out.put(q.getKey(), rs.getString(1));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private DataSource database() {
        var context = gateway().running().context();
        return context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
    }

    private String[] tenantAndKey() {
        String tenant = TestGateway.json(gateway().admin("POST", "/tenants", "{\"name\":\"sweep-" + System.nanoTime() + "\"}").body())
                .path("id").asText();
        String key = TestGateway.json(gateway().admin("POST", "/tenants/" + tenant + "/keys", "{\"name\":\"k\"}").body()).path("id").asText();
        String user = TestGateway.json(gateway().admin("POST", "/users", "{\"username\":\"sweep-" + System.nanoTime()
                + "\",\"password\":\"a-long-password\",\"role\":\"viewer\"}").body()).path("id").asText();
        return new String[] {tenant, key, user, AdminUpstreams.createDisabled(gateway(), "sweep")};
    }

    private static void assert400(HttpResponse<String> r, String field, String what) {
        assertThat(r.statusCode()).as(what + " -> " + r.body()).isEqualTo(400);
        JsonNode error = TestGateway.json(r.body()).path("error");
        assertThat(error.path("message").isTextual()).as(what).isTrue();
        if (field != null) {
            assertThat(error.path("field").asText()).as(what + " names the field: " + r.body()).startsWith(field.length() > 200 ? field.substring(0, 200) : field);
        }
    }

    @Test
    default void malformedBodiesWrongTypesOversizedFieldsAndSqlMetacharactersChangeNothing() {
        String[] ids = tenantAndKey();
        Map<String, String> before = snapshot();
        int checked = 0;
        for (BodyRoute route : bodyRoutes()) {
            String path = route.path().replace("{tenant}", ids[0]).replace("{key}", ids[1]).replace("{user}", ids[2])
                    .replace("{ups}", ids[3]);
            String what = route.method() + " " + route.path();
            for (String body : NOT_OBJECTS) {
                if (body.isEmpty() && !route.bodyRequired()) {
                    continue;
                }
                assert400(call(route.method(), path, body.getBytes(StandardCharsets.UTF_8)), null, what + " " + body);
                checked++;
            }
            if (route.bodyRequired()) {
                assert400(call(route.method(), path, null), null, what + " without a body");
            }
            for (Bad bad : route.bad()) {
                for (String value : bad.values()) {
                    Map<String, String> members = new LinkedHashMap<>(route.valid());
                    members.put(bad.field().split("\\.")[0], nest(bad.field(), value));
                    StringBuilder json = new StringBuilder("{");
                    members.forEach((n, v) -> json.append(json.length() > 1 ? "," : "").append(quote(n)).append(':').append(v));
                    String body = json.append('}').toString();
                    assert400(call(route.method(), path, body.getBytes(StandardCharsets.UTF_8)),
                            bad.field(), what + " " + body.substring(0, Math.min(body.length(), 300)));
                    checked++;
                }
            }
        }
        for (QueryRoute route : queryRoutes()) {
            String path = route.path().replace("{tenant}", ids[0]);
            for (Map.Entry<String, List<String>> p : route.bad().entrySet()) {
                for (String value : p.getValue()) {
                    String query = "?" + enc(p.getKey()) + "=" + enc(value);
                    assert400(call("GET", path + query, null), p.getKey(), "GET " + route.path() + " " + p.getKey() + "=" + value.substring(0, Math.min(value.length(), 40)));
                    checked++;
                }
            }
        }
        for (String id : List.of(DROP, OR, LONG_PARAM)) {
            for (String p : List.of("/tenants/", "/keys/", "/keys/%s/status", "/requests/", "/upstreams/")) {
                String path = p.contains("%s") ? String.format(p, enc(id)) : p + enc(id);
                assertThat(call("GET", path, null).statusCode()).as("GET " + path).isIn(400, 404);
            }
            assertThat(call("PATCH", "/tenants/" + enc(id), "{\"name\":\"x\"}".getBytes()).statusCode()).isIn(400, 404);
            assertThat(call("DELETE", "/tenants/" + enc(id), null).statusCode()).isIn(400, 404);
            assertThat(call("PATCH", "/upstreams/" + enc(id), "{\"weight\":2}".getBytes()).statusCode()).isIn(400, 404);
            assertThat(call("DELETE", "/upstreams/" + enc(id), null).statusCode()).isIn(400, 404);
            assertThat(call("POST", "/keys/" + enc(id) + "/revoke", null).statusCode()).isIn(400, 404);
            assertThat(call("POST", "/tenants/" + enc(id) + "/keys", "{\"name\":\"k\"}".getBytes()).statusCode()).isIn(400, 404);
        }
        assertThat(checked).as("cases run").isGreaterThan(300);
        assertThat(snapshot()).as("nothing changed").isEqualTo(before);
    }

    /** {@code limits.budget.window} with value v becomes {"budget":{"window":v}} under "limits". */
    private static String nest(String field, String value) {
        String[] parts = field.split("\\.");
        String out = value;
        for (int i = parts.length - 1; i > 0; i--) {
            out = "{\"" + parts[i] + "\":" + out + "}";
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    default void freeTextWithSqlMetacharactersIsStoredVerbatim() {
        String name = "Robert'); DROP TABLE tenants;-- \"x\" OR 1=1 -- \\ % _ " + System.nanoTime();
        HttpResponse<String> created = gateway().admin("POST", "/tenants", "{\"name\":" + quote(name) + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = TestGateway.json(created.body()).path("id").asText();
        assertThat(TestGateway.json(gateway().admin("GET", "/tenants/" + id, null).body()).path("name").asText()).isEqualTo(name);
        HttpResponse<String> key = gateway().admin("POST", "/tenants/" + id + "/keys",
                "{\"name\":" + quote(name) + ",\"allowed_models\":[\"m';--\",\"\\\"q\\\"\"]}");
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        JsonNode read = TestGateway.json(gateway().admin("GET", "/keys/" + TestGateway.json(key.body()).path("id").asText(), null).body());
        assertThat(read.path("name").asText()).isEqualTo(name);
        assertThat(read.path("allowed_models").get(0).asText()).isEqualTo("m';--");
        assertThat(read.path("allowed_models").get(1).asText()).isEqualTo("\"q\"");
        String model = "sweep';DROP-" + System.nanoTime();
        assertThat(gateway().admin("PUT", "/pricing", "{" + quote(model) + ":{\"per_request\":0.5}}").statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(gateway().admin("GET", "/pricing", null).body()).has(model)).isTrue();
        gateway().admin("PUT", "/pricing", "{" + quote(model) + ":null}");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
