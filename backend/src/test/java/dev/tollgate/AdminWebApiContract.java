// Why: the admin listener's web surface (OpenAPI document, CORS, security headers, body limit, error hygiene) is
// part of the contract; these checks run in every storage mode through GatewayContract.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.TestGateway;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Checks of the admin listener as a web server; a test class supplies the running gateway. */
public interface AdminWebApiContract {
    /** An origin the suites list in ALLOWED_ORIGINS (given as http://LOCALHOST:5173, to prove the match is canonical). */
    String CONSOLE_ORIGIN = "http://localhost:5173";
    /** TOLLGATE_ADMIN_MAX_BODY_BYTES of the suites. */
    int ADMIN_MAX_BODY = 32_768;

    TestGateway gateway();

    private HttpResponse<String> raw(String base, String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return gateway().send(b.build());
    }

    private HttpResponse<String> admin(String method, String path, Map<String, String> headers) {
        return raw(gateway().adminUrl(), method, path, headers, null);
    }

    @Test
    @SuppressWarnings("unchecked")
    default void openApiDocumentDescribesEveryAdminRoute() {
        HttpResponse<String> r = admin("GET", "/admin/api/openapi.yml", Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/yaml"));
        Map<String, Object> doc = new Yaml().load(r.body());
        assertThat(String.valueOf(doc.get("openapi"))).startsWith("3.");
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, ops) -> ops.keySet().forEach(m -> documented.add(m.toUpperCase() + " " + path)));

        Set<String> registered = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : gateway().running().context().getBean(Router.class).uriRoutes().map(x -> (UriRouteInfo<?, ?>) x).toList()) {
            String path = route.getUriMatchTemplate().toPathString();
            if (path.startsWith("/admin/") && !path.equals("/admin/api/openapi.yml") && route.getHttpMethod() != HttpMethod.OPTIONS
                    && route.getHttpMethod() != HttpMethod.HEAD) {
                registered.add(route.getHttpMethodName() + " " + path);
            }
        }
        assertThat(registered).as("admin routes found").hasSizeGreaterThan(10).contains("POST /admin/api/tenants/{tenantId}/keys");
        assertThat(documented).as("every admin route is documented, and nothing else").isEqualTo(registered);

        Map<String, Object> createTenant = (Map<String, Object>) paths.get("/admin/api/tenants").get("post");
        Map<String, Object> content = (Map<String, Object>) ((Map<String, Object>) createTenant.get("requestBody")).get("content");
        assertThat(String.valueOf(content.get("application/json"))).contains("#/components/schemas/TenantInput");
        Map<String, Object> responses = (Map<String, Object>) createTenant.get("responses");
        assertThat(responses).containsKeys("201", "400", "401", "403", "404", "413");
        assertThat(String.valueOf(responses.get("400"))).contains("#/components/schemas/AdminError");
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertThat(schemas).containsKeys("AdminError", "TenantInput", "KeyInput", "LoginInput", "Tenant", "ApiKey");
        assertThat(String.valueOf(schemas.get("TenantInput"))).contains("allowed_models").contains("limits");
        assertThat(String.valueOf(schemas.get("KeyInput"))).contains("expires_at");

        assertThat(raw(gateway().proxyUrl(), "GET", "/admin/api/openapi.yml", Map.of(), null).statusCode())
                .as("not on the proxy listener").isEqualTo(404);
    }

    @Test
    default void corsAllowsOnlyListedOriginsWithCredentials() {
        HttpResponse<String> preflight = admin("OPTIONS", "/admin/api/tenants", Map.of("Origin", CONSOLE_ORIGIN,
                "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "content-type, x-csrf-token"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(CONSOLE_ORIGIN);
        assertThat(preflight.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValue("GET, POST, PUT, PATCH, DELETE");
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("Authorization, Content-Type, X-CSRF-Token");

        HttpResponse<String> actual = admin("GET", "/admin/api/tenants",
                Map.of("Origin", CONSOLE_ORIGIN, "Authorization", "Bearer " + gateway().adminToken()));
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("access-control-allow-origin")).hasValue(CONSOLE_ORIGIN);
        assertThat(actual.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        assertThat(actual.headers().allValues("vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("origin"));
        HttpResponse<String> unauthenticated = admin("GET", "/admin/api/tenants", Map.of("Origin", CONSOLE_ORIGIN));
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(unauthenticated.headers().firstValue("access-control-allow-origin")).as("errors are readable by the console")
                .hasValue(CONSOLE_ORIGIN);

        for (String stranger : new String[] {"https://evil.example", "http://localhost:5174", "null", CONSOLE_ORIGIN + ".evil.example"}) {
            HttpResponse<String> refused = admin("OPTIONS", "/admin/api/tenants",
                    Map.of("Origin", stranger, "Access-Control-Request-Method", "DELETE"));
            assertThat(refused.statusCode()).as(stranger).isEqualTo(403);
            assertThat(refused.headers().firstValue("access-control-allow-origin")).as(stranger).isEmpty();
            HttpResponse<String> read = admin("GET", "/admin/api/tenants",
                    Map.of("Origin", stranger, "Authorization", "Bearer " + gateway().adminToken()));
            assertThat(read.headers().firstValue("access-control-allow-origin")).as(stranger).isEmpty();
            assertThat(read.headers().firstValue("access-control-allow-credentials")).as(stranger).isEmpty();
        }

        HttpResponse<String> proxy = raw(gateway().proxyUrl(), "OPTIONS", "/v1/models",
                Map.of("Origin", CONSOLE_ORIGIN, "Access-Control-Request-Method", "GET"), null);
        assertThat(proxy.headers().firstValue("access-control-allow-origin")).as("never on the proxy listener").isEmpty();
        HttpResponse<String> proxyGet = raw(gateway().proxyUrl(), "GET", "/v1/models", Map.of("Origin", CONSOLE_ORIGIN), null);
        assertThat(proxyGet.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    default void everyAdminAnswerCarriesTheSecurityHeaders() {
        String token = "Bearer " + gateway().adminToken();
        Map<String, HttpResponse<String>> answers = Map.of(
                "ok", admin("GET", "/admin/api/tenants", Map.of("Authorization", token)),
                "401", admin("GET", "/admin/api/tenants", Map.of()),
                "404 route", admin("GET", "/admin/api/nowhere", Map.of("Authorization", token)),
                "404 proxy path", admin("GET", "/v1/models", Map.of()),
                "405", admin("DELETE", "/admin/api/pricing", Map.of("Authorization", token)),
                "400", raw(gateway().adminUrl(), "POST", "/admin/api/tenants", Map.of("Authorization", token), "{".getBytes()),
                "openapi", admin("GET", "/admin/api/openapi.yml", Map.of()),
                "root", admin("GET", "/", Map.of()));
        answers.forEach((what, r) -> {
            assertThat(r.headers().firstValue("x-content-type-options")).as(what).hasValue("nosniff");
            assertThat(r.headers().firstValue("x-frame-options")).as(what).hasValue("DENY");
            assertThat(r.headers().firstValue("referrer-policy")).as(what).hasValue("no-referrer");
            assertThat(r.headers().firstValue("content-security-policy")).as(what)
                    .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(r.headers().firstValue("strict-transport-security")).as(what + ": plain HTTP").isEmpty();
        });
        answers.forEach((what, r) -> {
            if (!what.equals("root") && !what.equals("404 proxy path")) {
                assertThat(r.headers().firstValue("cache-control")).as(what).hasValue("no-store");
            }
        });
        assertThat(answers.get("405").statusCode()).isEqualTo(405);
        HttpResponse<String> forwarded = admin("GET", "/admin/api/tenants", Map.of("Authorization", token, "X-Forwarded-Proto", "https"));
        assertThat(forwarded.headers().firstValue("strict-transport-security")).hasValueSatisfying(v -> assertThat(v).startsWith("max-age="));
        HttpResponse<String> proxy = raw(gateway().proxyUrl(), "GET", "/health/live", Map.of("X-Forwarded-Proto", "https"), null);
        assertThat(proxy.headers().firstValue("content-security-policy")).as("admin listener only").isEmpty();
    }

    @Test
    default void oversizedAdminBodiesAre413InTheAdminShape() {
        String token = "Bearer " + gateway().adminToken();
        byte[] big = ("{\"name\":\"" + "x".repeat(ADMIN_MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = raw(gateway().adminUrl(), "POST", "/admin/api/tenants", Map.of("Authorization", token), big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(TestGateway.json(r.body()).path("error").path("message").asText()).contains(Integer.toString(ADMIN_MAX_BODY));
        assertThat(TestGateway.json(r.body()).path("error").has("field")).isTrue();
        // chunked: no Content-Length to refuse it by
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api/tenants"))
                .header("Authorization", token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        HttpResponse<String> c = gateway().send(chunked);
        assertThat(c.statusCode()).isEqualTo(413);
        assertThat(TestGateway.json(c.body()).path("error").path("message").asText()).contains(Integer.toString(ADMIN_MAX_BODY));
        HttpResponse<String> login = raw(gateway().adminUrl(), "POST", "/admin/api/login", Map.of(), big);
        assertThat(login.statusCode()).as("before login too").isEqualTo(413);
    }

    @Test
    default void noAdminAnswerLeaksInternals() {
        String token = "Bearer " + gateway().adminToken();
        Map<String, String> auth = Map.of("Authorization", token);
        Map<String, String> form = Map.of("Authorization", token, "Content-Type", "application/x-www-form-urlencoded");
        Object[][] cases = {
                {"POST", "/admin/api/tenants", auth, "{\"name\":", 400},
                {"POST", "/admin/api/tenants", Map.of("Authorization", token, "Content-Type", "text/plain"), "not json", 400},
                {"POST", "/admin/api/tenants", form, "name=x&limits=1", 400},
                {"POST", "/admin/api/tenants", Map.of("Authorization", token, "Content-Type", "multipart/form-data; boundary=x"),
                        "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--x--\r\n", 400},
                {"PUT", "/admin/api/pricing", Map.of("Authorization", token, "Content-Type", "application/xml"), "<a/>", 400},
                {"DELETE", "/admin/api/pricing", auth, null, 405},
                {"PUT", "/admin/api/tenants", auth, "{}", 405},
                {"GET", "/admin/api/nowhere/at/all", auth, null, 404},
                {"GET", "/admin/api/tenants?limit=abc", auth, null, 400},
                {"GET", "/admin/api/tenants?limit=99999999999999999999999", auth, null, 400},
                {"GET", "/admin/api/tenants?cursor=%00%ff%27", auth, null, 400},
                {"GET", "/admin/api/audit?from=2026-13-45", auth, null, 400},
                {"GET", "/admin/api/usage?from=2026-13-45", auth, null, 400},
                {"GET", "/admin/api/requests?limit=1e999", auth, null, 400},
                {"GET", "/admin/api/requests?cursor=garbage!!", auth, null, 400},
                {"GET", "/admin/api/alerts?limit=-1", auth, null, 400},
                {"POST", "/admin/api/tenants", auth, "{\"name\":\"a\u0000b\"}", 400},
                {"POST", "/admin/api/tenants", auth, "{\"name\":1" + "0".repeat(5000) + "}", 400},
                {"PUT", "/admin/api/pricing", auth, "{\"m\":{\"input_per_mtok\":1" + "0".repeat(5000) + "}}", 400},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) c[2];
            byte[] body = c[3] == null ? null : ((String) c[3]).getBytes(StandardCharsets.UTF_8);
            assertClean(raw(gateway().adminUrl(), (String) c[0], (String) c[1], headers, body), (int) c[4], c[0] + " " + c[1]);
        }
        byte[] nul = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', 0, 'b', '"', '}'};
        assertClean(raw(gateway().adminUrl(), "POST", "/admin/api/tenants", auth, nul), 400, "raw NUL byte");
        byte[] badUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
        assertClean(raw(gateway().adminUrl(), "POST", "/admin/api/tenants", auth, badUtf8), 400, "invalid UTF-8");
    }

    private static void assertClean(HttpResponse<String> r, int status, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).as(what).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(TestGateway.json(r.body()).path("error").path("message").isTextual()).as(what + ": " + r.body()).isTrue();
        assertThat(TestGateway.json(r.body()).path("error").has("field")).as(what).isTrue();
        assertThat(r.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.tollgate")
                .doesNotContain("io.micronaut").doesNotContain("com.fasterxml").doesNotContainIgnoringCase("select ")
                .doesNotContainIgnoringCase("sql").doesNotContain("java.");
    }
}
