// Why: upstream routes are part of the admin API contract (GET|POST /upstreams, GET|PATCH|DELETE /upstreams/{id}):
// fields validated with a 400 naming the field, unique names whatever their case (409, also under a race), the
// api_key never shown, an audit entry per change, and a change reaching the proxy within the contract's 2 s (the
// registry reloads every 2 s; the waits allow 1 s of scheduling slack on a busy machine). Runs in every storage
// mode through GatewayContract.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminUpstreams;
import dev.tollgate.support.AdminUsers;
import dev.tollgate.support.Await;
import dev.tollgate.support.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Admin API checks of upstream management; a test class supplies the running gateway. */
public interface UpstreamApiContract {
    /** The contract: any admin change reaches every replica within 2 s. */
    Duration REACHES_PROXY = Duration.ofSeconds(2);

    TestGateway gateway();

    private JsonNode call(String method, String path, String body, int status) {
        HttpResponse<String> r = gateway().admin(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " " + body + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : TestGateway.json(r.body());
    }

    private static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    @Test
    default void upstreamsAreCreatedReadChangedAndDeletedWithoutEverShowingTheKey() {
        String secret = "sk-upstream-secret-" + System.nanoTime();
        String name = unique("Ups");
        JsonNode created = call("POST", "/upstreams", "{\"name\":\"" + name + "\",\"kind\":\"openai\",\"base_url\":"
                + "\"https://api.example.com/v1\",\"api_key\":\"" + secret + "\",\"weight\":3,\"enabled\":false}", 201);
        String id = created.path("id").asText();
        assertThat(id).startsWith("ups_");
        assertThat(created.path("name").asText()).isEqualTo(name);
        assertThat(created.path("kind").asText()).isEqualTo("openai");
        assertThat(created.path("base_url").asText()).isEqualTo("https://api.example.com/v1");
        assertThat(created.path("has_api_key").asBoolean()).isTrue();
        assertThat(created.path("weight").asInt()).isEqualTo(3);
        assertThat(created.path("enabled").asBoolean()).isFalse();
        assertThat(created.has("api_key")).isFalse();
        assertThat(call("GET", "/upstreams/" + id, null, 200)).isEqualTo(created);
        JsonNode listed = call("GET", "/upstreams?limit=500", null, 200);
        assertThat(listed.path("items")).contains(created);
        assertThat(listed.path("items")).extracting(u -> u.path("name").asText()).contains("default");

        JsonNode keyless = call("PATCH", "/upstreams/" + id, "{\"api_key\":null,\"weight\":7}", 200);
        assertThat(keyless.path("has_api_key").asBoolean()).isFalse();
        assertThat(keyless.path("weight").asInt()).isEqualTo(7);
        assertThat(keyless.path("name").asText()).as("untouched members stay").isEqualTo(name);
        assertThat(keyless.path("kind").asText()).isEqualTo("openai");
        assertThat(keyless.path("enabled").asBoolean()).isFalse();
        JsonNode rekeyed = call("PATCH", "/upstreams/" + id, "{\"api_key\":\"" + secret + "-2\",\"kind\":\"ollama\","
                + "\"base_url\":\"http://[::1]:11434/\",\"name\":\"" + name.toUpperCase() + "\"}", 200);
        assertThat(rekeyed.path("has_api_key").asBoolean()).isTrue();
        assertThat(rekeyed.path("name").asText()).as("its own name in another case").isEqualTo(name.toUpperCase());
        assertThat(rekeyed.path("base_url").asText()).isEqualTo("http://[::1]:11434/");
        assertThat(rekeyed.path("weight").asInt()).isEqualTo(7);
        assertThat(rekeyed.has("api_key")).isFalse();

        call("DELETE", "/upstreams/" + id, null, 204);
        call("GET", "/upstreams/" + id, null, 404);
        call("PATCH", "/upstreams/" + id, "{\"weight\":2}", 404);
        call("DELETE", "/upstreams/" + id, null, 404);

        List<JsonNode> entries = new ArrayList<>();
        call("GET", "/audit?target_id=" + id, null, 200).path("items").forEach(entries::add);
        assertThat(entries).extracting(e -> e.path("action").asText())
                .containsExactly("upstream.delete", "upstream.update", "upstream.update", "upstream.create");
        assertThat(entries).extracting(e -> e.path("target_type").asText()).containsOnly("upstream");
        assertThat(entries).allMatch(e -> e.path("tenant_id").isNull());
        assertThat(entries.get(3).path("after")).isEqualTo(created);
        assertThat(entries.get(2).path("before").path("has_api_key").asBoolean()).isTrue();
        assertThat(entries.get(2).path("after").path("has_api_key").asBoolean()).isFalse();
        assertThat(entries.get(0).path("before")).isEqualTo(rekeyed);
        assertThat(entries.toString()).doesNotContain(secret).doesNotContain("\"api_key\"");
        assertThat(call("GET", "/audit?target_type=upstream&limit=500", null, 200).toString()).doesNotContain(secret);
    }

    @Test
    default void badUpstreamFieldsAnswer400NamingTheFieldAndDuplicatesAnswer409() {
        String ok = "\"kind\":\"ollama\",\"base_url\":\"" + AdminUpstreams.NOWHERE + "\",\"enabled\":false";
        String[][] cases = {
            {"{" + ok + "}", "name"},
            {"{\"name\":\"\"," + ok + "}", "name"},
            {"{\"name\":\"" + "n".repeat(101) + "\"," + ok + "}", "name"},
            {"{\"name\":\"a\",\"base_url\":\"http://h\"}", "kind"},
            {"{\"name\":\"a\",\"kind\":\"anthropic\",\"base_url\":\"http://h\"}", "kind"},
            {"{\"name\":\"a\",\"kind\":\"ollama\"}", "base_url"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"ollama:11434\"}", "base_url"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"/api\"}", "base_url"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"file:///etc/passwd\"}", "base_url"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"http://user:pw@h\"}", "base_url"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"http://h/?x=1\"}", "base_url"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"http://h/#top\"}", "base_url"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"http://h/" + "p".repeat(2040) + "\"}", "base_url"},
            {"{\"name\":\"a\"," + ok + ",\"api_key\":\"" + "k".repeat(4097) + "\"}", "api_key"},
            {"{\"name\":\"a\"," + ok + ",\"api_key\":7}", "api_key"},
            {"{\"name\":\"a\"," + ok + ",\"weight\":0}", "weight"},
            {"{\"name\":\"a\"," + ok + ",\"weight\":1001}", "weight"},
            {"{\"name\":\"a\"," + ok + ",\"weight\":2.5}", "weight"},
            {"{\"name\":\"a\"," + ok + ",\"weight\":\"2\"}", "weight"},
            {"{\"name\":\"a\",\"kind\":\"ollama\",\"base_url\":\"http://h\",\"enabled\":\"no\"}", "enabled"},
            {"{\"name\":\"a\"," + ok + ",\"has_api_key\":true}", "has_api_key"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = gateway().admin("POST", "/upstreams", c[0]);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r.body()).path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        String longest = call("POST", "/upstreams", "{\"name\":\"" + "n".repeat(90) + System.nanoTime() % 1000
                + "\",\"kind\":\"openai\",\"base_url\":\"https://h:8443/" + "p".repeat(2000) + "\",\"api_key\":\""
                + "k".repeat(4096) + "\",\"weight\":1000,\"enabled\":false}", 201).path("id").asText();
        call("DELETE", "/upstreams/" + longest, null, 204);

        String taken = unique("Taken");
        call("POST", "/upstreams", "{\"name\":\"" + taken + "\"," + ok + "}", 201);
        HttpResponse<String> dup = gateway().admin("POST", "/upstreams", "{\"name\":\"" + taken.toUpperCase() + "\"," + ok + "}");
        assertThat(dup.statusCode()).isEqualTo(409);
        assertThat(TestGateway.json(dup.body()).path("error").path("field").asText()).isEqualTo("name");
        String id = AdminUpstreams.createDisabled(gateway(), "renamed");
        HttpResponse<String> rename = gateway().admin("PATCH", "/upstreams/" + id, "{\"name\":\"" + taken.toLowerCase() + "\"}");
        assertThat(rename.statusCode()).isEqualTo(409);
        assertThat(TestGateway.json(rename.body()).path("error").path("field").asText()).isEqualTo("name");
        HttpResponse<String> unknown = gateway().admin("PATCH", "/upstreams/" + id, "{\"url\":\"http://h\"}");
        assertThat(TestGateway.json(unknown.body()).path("error").path("field").asText()).isEqualTo("url");
        HttpResponse<String> nullName = gateway().admin("PATCH", "/upstreams/" + id, "{\"name\":null}");
        assertThat(TestGateway.json(nullName.body()).path("error").path("field").asText()).isEqualTo("name");
        call("PATCH", "/upstreams/ups_nope", "{\"weight\":2}", 404);
    }

    @Test
    default void concurrentCreatesOfOneNameLeaveOneUpstreamAndAnswer409ToTheOthers() {
        String name = unique("race");
        String body = "{\"name\":\"%s\",\"kind\":\"ollama\",\"base_url\":\"" + AdminUpstreams.NOWHERE + "\",\"enabled\":false}";
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> gateway().admin("POST", "/upstreams",
                        body.formatted(i % 2 == 0 ? name : name.toUpperCase()))))
                .toList();
        List<Integer> statuses = calls.stream().map(c -> c.join().statusCode()).toList();
        assertThat(statuses).containsOnlyOnce(201).allMatch(s -> s == 201 || s == 409);
        assertThat(call("GET", "/upstreams?limit=500", null, 200).path("items"))
                .filteredOn(u -> u.path("name").asText().equalsIgnoreCase(name)).hasSize(1);
    }

    @Test
    default void viewersReadUpstreamsTenantAdminsSeeNoneAndNeitherChangesThem() {
        String id = AdminUpstreams.createDisabled(gateway(), "roles");
        var viewer = AdminUsers.create(gateway(), "ups-viewer", "viewer", null).client();
        String tenant = call("POST", "/tenants", "{\"name\":\"" + unique("ups-tenant") + "\"}", 201).path("id").asText();
        var tenantAdmin = AdminUsers.create(gateway(), "ups-ta", "tenant_admin", tenant).client();
        assertThat(viewer.call("GET", "/upstreams/" + id, null).statusCode()).isEqualTo(200);
        assertThat(viewer.call("GET", "/upstreams", null).statusCode()).isEqualTo(200);
        assertThat(viewer.call("PATCH", "/upstreams/" + id, "{\"weight\":9}").statusCode()).isEqualTo(403);
        assertThat(viewer.call("DELETE", "/upstreams/" + id, null).statusCode()).isEqualTo(403);
        HttpResponse<String> hidden = tenantAdmin.call("GET", "/upstreams", null);
        assertThat(hidden.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(hidden.body()).path("error").path("message").asText()).contains("platform-wide");
        assertThat(tenantAdmin.call("GET", "/upstreams/" + id, null).statusCode()).isEqualTo(403);
        assertThat(tenantAdmin.call("POST", "/upstreams", "{}").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/upstreams/" + id, null, 200).path("weight").asInt()).isEqualTo(1);
    }

    private HttpResponse<String> chat(String key, String model) {
        return gateway().send(HttpRequest.newBuilder(URI.create(gateway().proxyUrl() + "/api/chat"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":false,\"messages\":[]}"))
                .build());
    }

    private static void awaitStatus(String what, java.util.function.Supplier<HttpResponse<String>> call, int status) {
        long start = System.nanoTime();
        Await.until(what, REACHES_PROXY, () -> call.get().statusCode() == status);
        System.out.printf("%s after %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    default void aNewUpstreamServesItsModelsWithinTwoSecondsAndADisabledOneNoLonger() {
        String model = "second-upstream-only";
        String key = gateway().tenantWithKey(unique("ups-proxy"), "null", "null");
        try (MockUpstream second = MockUpstream.start(new MockConfig().port(0).tokens(2).extraModel(model))) {
            assertThat(chat(key, model).statusCode()).as("no upstream has the model yet").isEqualTo(404);
            JsonNode created = call("POST", "/upstreams", "{\"name\":\"" + unique("second") + "\",\"kind\":\"ollama\","
                    + "\"base_url\":\"" + second.baseUrl() + "\"}", 201);
            assertThat(created.path("enabled").asBoolean()).as("default").isTrue();
            assertThat(created.path("weight").asInt()).as("default").isEqualTo(1);
            assertThat(created.path("has_api_key").asBoolean()).isFalse();
            String id = created.path("id").asText();
            try {
                awaitStatus("a new upstream's model served", () -> chat(key, model), 200);
                assertThat(second.stats().requests()).isPositive();
                call("PATCH", "/upstreams/" + id, "{\"enabled\":false}", 200);
                awaitStatus("a disabled upstream's model refused", () -> chat(key, model), 404);
                assertThat(chat(key, "llama3.2").statusCode()).as("the default upstream still serves").isEqualTo(200);
            } finally {
                call("DELETE", "/upstreams/" + id, null, 204);
            }
        }
    }

    @Test
    default void theLastEnabledUpstreamMayBeDeletedAndModelCallsThenAnswer502() {
        String key = gateway().tenantWithKey(unique("ups-none"), "null", "null");
        List<String> disabled = new ArrayList<>();
        try (MockUpstream second = MockUpstream.start(new MockConfig().port(0).tokens(2))) {
            String last = call("POST", "/upstreams", "{\"name\":\"" + unique("last") + "\",\"kind\":\"ollama\","
                    + "\"base_url\":\"" + second.baseUrl() + "\"}", 201).path("id").asText();
            call("GET", "/upstreams?limit=500", null, 200).path("items").forEach(u -> {
                if (u.path("enabled").asBoolean() && !u.path("id").asText().equals(last)) {
                    disabled.add(u.path("id").asText());
                    call("PATCH", "/upstreams/" + u.path("id").asText(), "{\"enabled\":false}", 200);
                }
            });
            assertThat(disabled).as("the default upstream").isNotEmpty();
            call("DELETE", "/upstreams/" + last, null, 204);
            awaitStatus("no enabled upstream answered", () -> chat(key, "llama3.2"), 502);
            assertThat(TestGateway.json(chat(key, "llama3.2").body()).path("error").asText()).contains("no enabled upstream");
            HttpResponse<String> listing = gateway().send(HttpRequest.newBuilder(URI.create(gateway().proxyUrl() + "/v1/models"))
                    .header("Authorization", "Bearer " + key).build());
            assertThat(listing.statusCode()).isEqualTo(502);
        } finally {
            disabled.forEach(id -> call("PATCH", "/upstreams/" + id, "{\"enabled\":true}", 200));
            awaitStatus("the default upstream back", () -> chat(key, "llama3.2"), 200);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    default void theOpenApiDocumentDescribesTheUpstreamBodyWithAWriteOnlyKey() {
        HttpResponse<String> r = gateway().send(HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api/openapi.yml")).build());
        Map<String, Object> doc = new Yaml().load(r.body());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        assertThat(paths.get("/admin/api/upstreams")).containsOnlyKeys("get", "post");
        assertThat(paths.get("/admin/api/upstreams/{id}")).containsOnlyKeys("get", "patch", "delete");
        assertThat(String.valueOf(paths.get("/admin/api/upstreams/{id}").get("patch"))).contains("#/components/schemas/UpstreamInput");
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertThat(String.valueOf(schemas.get("UpstreamInput"))).contains("api_key").contains("writeOnly=true").contains("base_url");
        Map<String, Object> view = (Map<String, Object>) ((Map<String, Object>) schemas.get("UpstreamView")).get("properties");
        assertThat(view).containsKey("has_api_key").doesNotContainKey("api_key");
    }
}
