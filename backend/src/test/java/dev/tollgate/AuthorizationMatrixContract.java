// Why: the authorisation proof: every admin route × every role (admin, tenant_admin of tenant A, viewer,
// no session) answers exactly the status in one table; every refusal leaves the stored state unchanged; a
// tenant_admin's 404 for tenant B's ids reads exactly like the 404 for an id that does not exist; and the table
// lists precisely the routes Micronaut serves, so a new admin route without a row fails here.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminUpstreams;
import dev.tollgate.support.AdminUsers;
import dev.tollgate.support.LoggedCalls;
import dev.tollgate.support.TestGateway;
import io.micronaut.http.HttpMethod;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.web.router.Router;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** The authorisation matrix of the admin API; a test class supplies the running gateway. */
public interface AuthorizationMatrixContract {
    TestGateway gateway();

    /**
     * One row per route and target: method, path, body ("-" for none), then the status for admin, tenant_admin of
     * tenant A, viewer and no session. In paths and bodies {A}/{B} are tenant ids, {keyA}/{keyB} key ids,
     * {reqA}/{reqB} request ids (each of tenant A or B), {user} a viewer account, {ups} a disabled upstream (never
     * the default one, which the proxy tests use), {n} a value unique to the call.
     * Rows that change something run on fresh tenants, keys and user, so one row's success cannot affect another.
     * Rows of the caller's own account (/me, /logout) run as a fresh account of each role, so ending or changing
     * that session cannot touch the others. Add a row for every new route.
     */
    String TABLE = """
            POST   /login                        {"username":"nobody-{n}","password":"wrong-password"}   401 401 401 401
            GET    /openapi.yml                  -                                                       200 200 200 200
            GET    /me                           -                                                       200 200 200 401
            POST   /me/password                  {"current_password":"role-test-password-1","new_password":"mx-new-password-{n}"} 204 204 204 401
            POST   /logout                       -                                                       204 204 204 401
            GET    /tenants                      -                                                       200 200 200 401
            POST   /tenants                      {"name":"mx-{n}"}                                       201 403 403 401
            GET    /tenants/{A}                  -                                                       200 200 200 401
            GET    /tenants/{B}                  -                                                       200 404 200 401
            PATCH  /tenants/{A}                  {"name":"mx-renamed-{n}"}                               200 403 403 401
            PATCH  /tenants/{B}                  {"name":"mx-renamed-{n}"}                               200 404 403 401
            DELETE /tenants/{A}                  -                                                       204 403 403 401
            DELETE /tenants/{B}                  -                                                       204 404 403 401
            POST   /tenants/{A}/keys             {"name":"mx-{n}"}                                       201 201 403 401
            POST   /tenants/{B}/keys             {"name":"mx-{n}"}                                       201 404 403 401
            GET    /tenants/{A}/keys             -                                                       200 200 200 401
            GET    /tenants/{B}/keys             -                                                       200 404 200 401
            GET    /keys/{keyA}                  -                                                       200 200 200 401
            GET    /keys/{keyB}                  -                                                       200 404 200 401
            PATCH  /keys/{keyA}                  {"name":"mx-renamed-{n}"}                               200 200 403 401
            PATCH  /keys/{keyB}                  {"name":"mx-renamed-{n}"}                               200 404 403 401
            POST   /keys/{keyA}/revoke           -                                                       200 200 403 401
            POST   /keys/{keyB}/revoke           -                                                       200 404 403 401
            POST   /keys/{keyA}/rotate           {"grace_seconds":5}                                     201 201 403 401
            POST   /keys/{keyB}/rotate           {"grace_seconds":5}                                     201 404 403 401
            GET    /keys/{keyA}/status           -                                                       200 200 200 401
            GET    /keys/{keyB}/status           -                                                       200 404 200 401
            GET    /pricing                      -                                                       200 200 200 401
            PUT    /pricing                      {"mx-{n}":{"input_per_mtok":1,"output_per_mtok":2,"per_request":0}} 200 403 403 401
            GET    /usage                        -                                                       200 200 200 401
            GET    /usage?tenant={A}             -                                                       200 200 200 401
            GET    /usage?tenant={B}             -                                                       200 404 200 401
            GET    /usage?key={keyB}             -                                                       200 404 200 401
            GET    /requests                     -                                                       200 200 200 401
            GET    /requests?tenant={B}          -                                                       200 404 200 401
            GET    /requests?key={keyB}          -                                                       200 404 200 401
            GET    /requests/{reqA}              -                                                       200 200 200 401
            GET    /requests/{reqB}              -                                                       200 404 200 401
            GET    /audit                        -                                                       200 200 200 401
            GET    /audit?tenant={B}             -                                                       200 404 200 401
            GET    /audit?target_id={keyB}       -                                                       200 404 200 401
            GET    /audit?target_id={B}          -                                                       200 404 200 401
            GET    /alerts                       -                                                       200 200 200 401
            GET    /alerts?tenant={B}            -                                                       200 404 200 401
            GET    /users                        -                                                       200 403 403 401
            POST   /users                        {"username":"mx-{n}","password":"a-long-password","role":"viewer"} 201 403 403 401
            GET    /users/{user}                 -                                                       200 403 403 401
            PATCH  /users/{user}                 {"username":"mx-renamed-{n}"}                           200 403 403 401
            DELETE /users/{user}                 -                                                       204 403 403 401
            GET    /upstreams                    -                                                       200 403 200 401
            POST   /upstreams                    {"name":"mx-{n}","kind":"ollama","base_url":"http://127.0.0.1:9","enabled":false} 201 403 403 401
            GET    /upstreams/{ups}              -                                                       200 403 200 401
            PATCH  /upstreams/{ups}              {"name":"mx-renamed-{n}","weight":5}                    200 403 403 401
            DELETE /upstreams/{ups}              -                                                       204 403 403 401
            """;

    /** Who calls, in the order each row is tried: refusals first, so a later success cannot hide a change. */
    enum Who { ANONYMOUS, VIEWER, TENANT_ADMIN, ADMIN }

    record Row(String method, String path, String body, Map<Who, Integer> expected) {
        static List<Row> parse(String table) {
            return table.lines().filter(l -> !l.isBlank()).map(l -> {
                String[] c = l.trim().split("\\s+");
                if (c.length != 7) {
                    throw new IllegalArgumentException("a row has 7 columns: " + l);
                }
                return new Row(c[0], c[1], c[2].equals("-") ? null : c[2],
                        Map.of(Who.ADMIN, Integer.valueOf(c[3]), Who.TENANT_ADMIN, Integer.valueOf(c[4]),
                                Who.VIEWER, Integer.valueOf(c[5]), Who.ANONYMOUS, Integer.valueOf(c[6])));
            }).toList();
        }

        boolean ownAccount() {
            return path.startsWith("/me") || path.equals("/logout");
        }

        boolean changes() {
            return !method.equals("GET");
        }

        /** The route as the router names it: method and path with every {placeholder} as {} and no query. */
        String route() {
            return method + " " + normalize("/admin/api" + path.replaceAll("\\?.*", ""));
        }
    }

    /** Ids a row's placeholders stand for. */
    record World(String a, String b, String keyA, String keyB, String reqA, String reqB) {
        String fill(String text, String user, String ups, long n) {
            return text.replace("{keyA}", keyA).replace("{keyB}", keyB).replace("{reqA}", String.valueOf(reqA))
                    .replace("{ups}", String.valueOf(ups)).replace("{reqB}", String.valueOf(reqB)).replace("{A}", a).replace("{B}", b)
                    .replace("{user}", String.valueOf(user)).replace("{n}", Long.toString(n));
        }

        /** The same text with tenant B's ids replaced by ids that exist nowhere. */
        String missing(String filled) {
            return filled.replace(keyB, "key_missing").replace(String.valueOf(reqB), "req_missing").replace(b, "ten_missing");
        }
    }

    static String normalize(String template) {
        return template.replaceAll("\\{[^}]*}", "{}");
    }

    @Test
    default void everyAdminRouteAnswersEachRoleAsTheMatrixSays() {
        World fixed = world(true);
        AdminUsers.Account tenantAdmin = AdminUsers.create(gateway(), "mx-ta", "tenant_admin", fixed.a());
        AdminUsers.Account viewer = AdminUsers.create(gateway(), "mx-viewer", "viewer", null);
        Map<Who, AdminClient> clients = Map.of(Who.TENANT_ADMIN, tenantAdmin.client(), Who.VIEWER, viewer.client());
        AtomicLong unique = new AtomicLong(System.nanoTime());
        SoftAssertions soft = new SoftAssertions();
        String tenantOfTenantAdmin = fixed.a();
        for (Row row : Row.parse(TABLE)) {
            World w = row.changes() ? world(false) : fixed;
            if (!w.a().equals(tenantOfTenantAdmin)) {
                moveTenantAdmin(tenantAdmin.id(), w.a());
                tenantOfTenantAdmin = w.a();
            }
            String user = row.path.contains("{user}")
                    ? AdminUsers.create(gateway(), "mx-target", "viewer", null).id() : null;
            String ups = row.path.contains("{ups}") ? AdminUpstreams.createDisabled(gateway(), "mx-ups") : null;
            for (Who who : Who.values()) {
                String path = w.fill(row.path(), user, ups, unique.incrementAndGet());
                String body = row.body() == null ? null : w.fill(row.body(), user, ups, unique.incrementAndGet());
                String before = fingerprint();
                HttpResponse<String> r = row.ownAccount() && who != Who.ANONYMOUS
                        ? freshAccount(who, w.a()).call(row.method(), path, body)
                        : call(who, clients, row.method(), path, body);
                int expected = row.expected().get(who);
                String what = who + " " + row.method() + " " + path;
                soft.assertThat(r.statusCode()).as(what + " answered " + r.body()).isEqualTo(expected);
                if (expected >= 400) {
                    soft.assertThat(fingerprint()).as(what + " changed nothing").isEqualTo(before);
                    soft.assertThat(TestGateway.json(r.body()).path("error").path("message").asText()).as(what).isNotEmpty();
                }
                if (who == Who.TENANT_ADMIN && expected == 404) {
                    HttpResponse<String> absent = call(who, clients, row.method(), w.missing(path), body);
                    soft.assertThat(absent.statusCode()).as(what + " with unknown ids").isEqualTo(404);
                    soft.assertThat(r.body()).as(what + " reads like an unknown id").isEqualTo(absent.body());
                }
            }
        }
        soft.assertAll();
    }

    @Test
    default void theMatrixListsExactlyTheAdminRoutesTheRouterServes() {
        Set<String> served = gateway().running().context().getBean(Router.class).uriRoutes()
                .filter(r -> r.getUriMatchTemplate().toString().startsWith("/admin/api"))
                .filter(r -> r.getHttpMethod() != HttpMethod.HEAD) // Micronaut answers HEAD wherever GET is routed
                .map(r -> r.getHttpMethodName() + " " + normalize(r.getUriMatchTemplate().toString()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> tabled = Row.parse(TABLE).stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));
        assertThat(served).isNotEmpty();
        assertThat(tabled).as("routes of the matrix").isEqualTo(served);
    }

    /** Tenants A and B with a key each; with {@code traffic}, one logged request per key as well. */
    private World world(boolean traffic) {
        String a = create("/tenants", "{\"name\":\"mx-a-" + System.nanoTime() + "\",\"limits\":{\"rpm\":1000}}").path("id").asText();
        String b = create("/tenants", "{\"name\":\"mx-b-" + System.nanoTime() + "\",\"limits\":{\"rpm\":1000}}").path("id").asText();
        JsonNode keyA = create("/tenants/" + a + "/keys", "{\"name\":\"a\"}");
        JsonNode keyB = create("/tenants/" + b + "/keys", "{\"name\":\"b\"}");
        return new World(a, b, keyA.path("id").asText(), keyB.path("id").asText(),
                traffic ? LoggedCalls.chat(gateway(), keyA.path("key").asText()) : null,
                traffic ? LoggedCalls.chat(gateway(), keyB.path("key").asText()) : null);
    }

    /** A new account of the role, logged in, with the password the own-account rows send as the current one. */
    private AdminClient freshAccount(Who who, String tenant) {
        String role = switch (who) {
            case ADMIN -> "admin";
            case TENANT_ADMIN -> "tenant_admin";
            default -> "viewer";
        };
        return AdminUsers.create(gateway(), "mx-own", role, who == Who.TENANT_ADMIN ? tenant : null).client();
    }

    private JsonNode create(String path, String body) {
        HttpResponse<String> r = gateway().admin("POST", path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r.body());
    }

    private void moveTenantAdmin(String userId, String tenant) {
        HttpResponse<String> r = gateway().admin("PATCH", "/users/" + userId, "{\"tenant_id\":\"" + tenant + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private HttpResponse<String> call(Who who, Map<Who, AdminClient> clients, String method, String path, String body) {
        if (who == Who.ADMIN) {
            return gateway().admin(method, path, body);
        }
        if (who != Who.ANONYMOUS) {
            return clients.get(who).call(method, path, body);
        }
        return gateway().send(HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api" + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /**
     * A digest of everything the admin API can change: tenants, keys (but last_used_at, which proxied calls move),
     * users, prices, upstreams and the audit trail.
     */
    private String fingerprint() {
        var ctx = gateway().running().context();
        DataSource ds = ctx.getBean(DataSourceResolver.class).resolve(ctx.getBean(DataSource.class));
        String sql = "SELECT md5(concat_ws('#',"
                + " (SELECT string_agg(t::text, '|' ORDER BY t.id) FROM tenants t),"
                + " (SELECT string_agg(concat_ws(',', k.id, k.tenant_id, k.name, k.key_hash, k.limits, k.allowed_models,"
                + "   k.expires_at, k.revoked_at, k.updated_at, k.log_prompts), '|' ORDER BY k.id) FROM api_keys k),"
                + " (SELECT string_agg(u::text, '|' ORDER BY u.id) FROM admin_users u),"
                + " (SELECT string_agg(p::text, '|' ORDER BY p.model_key) FROM model_prices p),"
                + " (SELECT string_agg(s::text, '|' ORDER BY s.id) FROM upstreams s),"
                + " (SELECT count(*)::text || max(id) FROM audit_log)))";
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
