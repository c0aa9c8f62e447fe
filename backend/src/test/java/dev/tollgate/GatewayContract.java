// Why: one suite of end-to-end behaviours (admin API, authentication, both dialects, streaming, errors) that
// must hold in every storage mode; subclasses start the gateway embedded or on Postgres + Redis.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.storage.ServerSecret;
import dev.tollgate.support.MockedGatewaySuite;
import dev.tollgate.support.TestGateway;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

public abstract class GatewayContract extends MockedGatewaySuite implements PricingApiContract, AlertApiContract,
        AuditApiContract, UserApiContract, TenantAdminApiContract, AuthorizationMatrixContract,
        KeyLifecycleApiContract, SessionsApiContract,
        AdminWebApiContract, AdminInputSweepContract, UpstreamApiContract {
    private String key;
    private String restrictedKey;

    @Override
    public TestGateway gateway() {
        return gateway;
    }

    @Override
    protected Map<String, String> suiteEnv() {
        return Map.of("TOLLGATE_MAX_BODY_BYTES", "65536", "TOLLGATE_ADMIN_MAX_BODY_BYTES", Integer.toString(ADMIN_MAX_BODY),
                "ALLOWED_ORIGINS", "https://console.example.com, HTTP://LocalHost:5173");
    }

    @Override
    protected void started() {
        key = gateway.tenantWithKey("acme-" + System.nanoTime(), "null", "null");
        restrictedKey = gateway.tenantWithKey("restricted-" + System.nanoTime(), "[\"llama3.2\",\"qwen*\"]", "[\"llama3.2\"]");
    }

    private HttpResponse<String> post(String path, String apiKey, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.proxyUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return gateway.send(b.build());
    }

    private HttpResponse<String> get(String base, String path, String header, String value) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (header != null) {
            b.header(header, value);
        }
        return gateway.send(b.build());
    }

    @Test
    void ollamaChatStreamsNdjsonWithTheFinalCounts() {
        HttpResponse<String> r = post("/api/chat", key,
                "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/x-ndjson"));
        assertThat(r.headers().firstValue("x-request-id")).hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
        List<JsonNode> lines = r.body().lines().map(TestGateway::json).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 3)).extracting(l -> l.path("message").path("content").asText())
                .containsExactly("tok0 ", "tok1 ", "tok2 ");
        JsonNode last = lines.get(3);
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("prompt_eval_count").asInt()).isEqualTo(3);
        assertThat(last.path("eval_count").asInt()).isEqualTo(3);
    }

    @Test
    void ollamaGenerateWithoutStreamingAnswersOneObject() {
        HttpResponse<String> r = post("/api/generate", key,
                "{\"model\":\"llama3.2\",\"prompt\":\"a b\",\"stream\":false,\"options\":{\"num_predict\":2}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(r.body());
        assertThat(body.path("response").asText()).isEqualTo("tok0 tok1 ");
        assertThat(body.path("eval_count").asInt()).isEqualTo(2);
        assertThat(body.path("prompt_eval_count").asInt()).isEqualTo(2);
    }

    @Test
    void openAiStreamIsForwardedEventByEventEndingWithDone() {
        HttpResponse<String> r = post("/v1/chat/completions", key,
                "{\"model\":\"llama3.2\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> events = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode usage = TestGateway.json(events.get(events.size() - 2)).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(1);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(events.subList(0, 3)).extracting(e -> TestGateway.json(e).path("choices").get(0).path("delta").path("content").asText())
                .containsExactly("tok0 ", "tok1 ", "tok2 ");
    }

    @Test
    void openAiEmbeddingsAndCompletionsAreForwarded() {
        HttpResponse<String> e = post("/v1/embeddings", key, "{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b c\"]}");
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(e.body()).path("data")).hasSize(2);
        HttpResponse<String> c = post("/v1/completions", key, "{\"model\":\"llama3.2\",\"prompt\":\"x\",\"max_tokens\":2}");
        assertThat(c.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(c.body()).path("choices").get(0).path("text").asText()).isEqualTo("tok0 tok1 ");
    }

    @Test
    void listingsShowOnlyPermittedModels() {
        JsonNode all = TestGateway.json(get(gateway.proxyUrl(), "/v1/models", "Authorization", "Bearer " + key).body());
        assertThat(all.path("data").size()).isGreaterThan(1);
        JsonNode openai = TestGateway.json(get(gateway.proxyUrl(), "/v1/models", "x-api-key", restrictedKey).body());
        assertThat(openai.path("data")).extracting(m -> m.path("id").asText()).containsExactly("llama3.2:latest");
        JsonNode tags = TestGateway.json(get(gateway.proxyUrl(), "/api/tags", "api-key", restrictedKey).body());
        assertThat(tags.path("models")).extracting(m -> m.path("name").asText()).containsExactly("llama3.2:latest");
    }

    @Test
    void forbiddenAndMissingModelsAnswerTheSame404() {
        String body = "{\"model\":\"%s\",\"messages\":[]}";
        HttpResponse<String> forbidden = post("/v1/chat/completions", restrictedKey, body.formatted("qwen2.5:0.5b"));
        HttpResponse<String> missing = post("/v1/chat/completions", restrictedKey, body.formatted("nope:1b"));
        assertThat(forbidden.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(forbidden.body().replace("qwen2.5:0.5b", "M")).isEqualTo(missing.body().replace("nope:1b", "M"));
        assertThat(TestGateway.json(forbidden.body()).path("error").path("code").asText()).isEqualTo("model_not_found");
        HttpResponse<String> retrieve = get(gateway.proxyUrl(), "/v1/models/qwen2.5:0.5b", "Authorization", "Bearer " + restrictedKey);
        assertThat(retrieve.statusCode()).isEqualTo(404);
    }

    @Test
    void aModelTheUpstreamNoLongerHasAnswersLikeAForbiddenOne() {
        String body = "{\"model\":\"%s\",\"messages\":[]}";
        HttpResponse<String> gone = post("/v1/chat/completions", key, body.formatted("mock-gone"));
        HttpResponse<String> forbidden = post("/v1/chat/completions", restrictedKey, body.formatted("qwen2.5:0.5b"));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body().replace("mock-gone", "M")).isEqualTo(forbidden.body().replace("qwen2.5:0.5b", "M"));
        HttpResponse<String> ollama = post("/api/chat", key, body.formatted("mock-gone"));
        assertThat(ollama.statusCode()).isEqualTo(404);
        assertThat(ollama.body()).isEqualTo(post("/api/chat", restrictedKey, body.formatted("mock-gone")).body());
    }

    @Test
    void everyBadKeyGetsTheSame401() {
        String chat = "{\"model\":\"llama3.2\",\"messages\":[]}";
        List<String> bodies = new ArrayList<>();
        for (String k : new String[] {null, "sk-tg-" + "a".repeat(40), "not-a-key", key + "x"}) {
            HttpResponse<String> r = post("/v1/chat/completions", k, chat);
            assertThat(r.statusCode()).isEqualTo(401);
            bodies.add(r.body());
        }
        assertThat(bodies).allMatch(b -> b.equals(bodies.get(0)));
        JsonNode error = TestGateway.json(bodies.get(0)).path("error");
        assertThat(error.path("type").asText()).isEqualTo("authentication_error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(TestGateway.json(post("/api/chat", null, chat).body()).path("error").isTextual()).isTrue();
    }

    @Test
    void revokedKeyIsRefusedWithinTwoSeconds() {
        String tenant = TestGateway.json(gateway.admin("POST", "/tenants", "{\"name\":\"rev-" + System.nanoTime() + "\"}").body()).path("id").asText();
        JsonNode created = TestGateway.json(gateway.admin("POST", "/tenants/" + tenant + "/keys", "{\"name\":\"r\"}").body());
        String plaintext = created.path("key").asText();
        String chat = "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[]}";
        assertThat(post("/api/chat", plaintext, chat).statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = gateway.admin("POST", "/keys/" + created.path("id").asText() + "/revoke", null);
        assertThat(TestGateway.json(revoked.body()).path("status").asText()).isEqualTo("revoked");
        Instant deadline = Instant.now().plusSeconds(2);
        await(() -> post("/api/chat", plaintext, chat).statusCode() == 401, deadline);
    }

    @Test
    void blockedOllamaPathsGetOneGeneric403() {
        List<String> bodies = new ArrayList<>();
        for (String path : new String[] {"/api/pull", "/api/push", "/api/create", "/api/copy", "/api/delete", "/api/blobs/sha256:abc", "/api/nope"}) {
            HttpResponse<String> r = post(path, key, "{\"model\":\"llama3.2\"}");
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            bodies.add(r.body());
        }
        assertThat(bodies).allMatch(b -> b.equals(bodies.get(0)));
    }

    @Test
    void malformedAndOversizedBodiesAreRefused() {
        HttpResponse<String> bad = post("/v1/chat/completions", key, "{\"model\":\"llama3.2\",");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(bad.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        HttpResponse<String> wrongType = post("/api/chat", key, "{\"model\":42}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(wrongType.body()).path("error").asText()).contains("model");
        HttpResponse<String> big = post("/api/chat", key, "{\"model\":\"llama3.2\",\"prompt\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(mock.stats().modelCalls()).isZero();
    }

    @Test
    void upstreamFailureBeforeTheFirstByteIs502() {
        HttpResponse<String> r = post("/v1/chat/completions", key, "{\"model\":\"mock-fail\",\"messages\":[]}");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(TestGateway.json(r.body()).path("error").path("message").asText()).contains("mock failure");
        HttpResponse<String> o = post("/api/generate", key, "{\"model\":\"mock-fail\",\"prompt\":\"x\"}");
        assertThat(o.statusCode()).isEqualTo(502);
        assertThat(TestGateway.json(o.body()).path("error").isTextual()).isTrue();
    }

    @Test
    void adminAndProxyRoutesStayOnTheirListeners() {
        HttpResponse<String> adminOnProxy = get(gateway.proxyUrl(), "/admin/api/tenants", "Authorization", "Bearer " + gateway.adminToken());
        assertThat(adminOnProxy.statusCode()).isEqualTo(404);
        assertThat(adminOnProxy.headers().allValues("x-request-id")).as("the proxy's own 404 carries its request id once")
                .singleElement().satisfies(v -> assertThat(v).startsWith("req_"));
        assertThat(get(gateway.adminUrl(), "/api/tags", "Authorization", "Bearer " + key).statusCode()).isEqualTo(404);
        assertThat(get(gateway.adminUrl(), "/v1/models", "Authorization", "Bearer " + key).statusCode()).isEqualTo(404);
        assertThat(get(gateway.proxyUrl(), "/health/ready", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyAnswerCarriesAnHttpDate() {
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // a Date has whole seconds
        List<HttpResponse<String>> answers = List.of(
                post("/v1/chat/completions", key, "{\"model\":\"llama3.2\",\"messages\":[]}"),
                post("/v1/chat/completions", key, "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[]}"),
                post("/api/chat", "sk-tg-not-a-key", "{\"model\":\"llama3.2\",\"messages\":[]}"),
                get(gateway.proxyUrl(), "/no/such/path", null, null),
                get(gateway.proxyUrl(), "/admin/api/tenants", null, null),
                get(gateway.adminUrl(), "/admin/api/tenants", null, null),
                get(gateway.adminUrl(), "/v1/models", "Authorization", "Bearer " + key));
        Instant end = Instant.now();
        for (HttpResponse<String> r : answers) {
            String date = r.headers().firstValue("date").orElse("");
            assertThat(date).as("Date of %s %s", r.request().uri(), r.statusCode())
                    .matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            Instant at = java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertThat(at).as("Date of %s", r.request().uri()).isBetween(start, end);
        }
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 401, 404, 404, 401, 404);
    }

    @Test
    void firstChunkArrivesBeforeTheUpstreamHasFinished() throws Exception {
        mock.config().tokens(10).delayMs(200);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.proxyUrl() + "/api/chat"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"messages\":[]}")).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> r = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String first = reader.readLine();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(TestGateway.json(first).path("message").path("content").asText()).isEqualTo("tok0 ");
            assertThat(mock.stats().streamsCompleted()).isZero();
            assertThat(mock.stats().inFlight()).isEqualTo(1);
            assertThat(elapsedMs).isLessThan(10 * 200);
            long rest = reader.lines().count();
            assertThat(rest).isEqualTo(10);
        }
        assertThat(mock.stats().streamsCompleted()).isEqualTo(1);
    }

    @Test
    void clientDisconnectCancelsTheUpstreamRequest() throws Exception {
        mock.config().tokens(50).delayMs(100);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.proxyUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[]}")).build();
        HttpResponse<InputStream> r = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = r.body();
        assertThat(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)).readLine()).startsWith("data: ");
        body.close();
        await(() -> mock.stats().streamsCancelled() == 1, Instant.now().plusSeconds(5));
        assertThat(mock.stats().streamsCompleted()).isZero();
    }

    @Test
    void aClientLeavingAWholeAnswerAbortsTheUpstreamRequest() throws Exception {
        // mock-stall, not streaming: sends its head and half its declared answer, then waits for the client to leave
        URI proxy = URI.create(gateway.proxyUrl());
        String body = "{\"model\":\"mock-stall\",\"stream\":false,\"messages\":[]}";
        try (java.net.Socket client = new java.net.Socket(proxy.getHost(), proxy.getPort())) {
            client.getOutputStream().write(("POST /api/chat HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            await(() -> mock.stats().inFlight() == 1, Instant.now().plusSeconds(5));
        }
        // the gateway was reading the answer whole when the client left: it must close the upstream connection
        await(() -> mock.stats().inFlight() == 0, Instant.now().plusSeconds(5));
    }

    @Test
    void aClientLeavingBeforeTheAnswerBeginsAbortsTheUpstreamRequestAndIsLogged() throws Exception {
        var caller = gateway.keyWithLimits("null", "null");
        mock.config().tokens(100).delayMs(100); // a non-streaming answer whose head comes after 10 s
        URI proxy = URI.create(gateway.proxyUrl());
        String body = "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"think long\"}]}";
        try (java.net.Socket client = new java.net.Socket(proxy.getHost(), proxy.getPort())) {
            client.getOutputStream().write(("POST /api/chat HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + caller.key()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            await(() -> mock.stats().inFlight() == 1, Instant.now().plusSeconds(5));
        }
        // long before the upstream would have answered, its request is aborted
        await(() -> mock.stats().inFlight() == 0, Instant.now().plusSeconds(5));
        BooleanSupplier logged = () -> TestGateway.json(gateway.admin("GET", "/requests?key=" + caller.keyId(), null).body())
                .path("items").size() == 1;
        await(logged, Instant.now().plusSeconds(10));
        JsonNode row = TestGateway.json(gateway.admin("GET", "/requests?key=" + caller.keyId(), null).body()).path("items").get(0);
        assertThat(row.path("status").asInt()).isEqualTo(499);
        assertThat(row.path("error_code").asText()).isEqualTo("client_closed");
        assertThat(row.path("estimated").asBoolean()).isTrue();
        assertThat(row.path("prompt_tokens").asLong()).isPositive();
        assertThat(row.path("completion_tokens").asLong()).isZero();
    }

    @Test
    void tenantLifecycleThroughTheAdminApi() {
        String name = "lifecycle-" + System.nanoTime();
        HttpResponse<String> created = gateway.admin("POST", "/tenants",
                "{\"name\":\"" + name + "\",\"limits\":{\"rpm\":60,\"budget\":{\"amount\":25.5,\"window\":\"monthly\",\"alert_at\":0.8}},"
                        + "\"allowed_models\":[\"llama3.2\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode tenant = TestGateway.json(created.body());
        String id = tenant.path("id").asText();
        assertThat(tenant.path("limits").path("rpm").asLong()).isEqualTo(60);
        assertThat(tenant.path("limits").path("tpm").isNull()).isTrue();
        assertThat(tenant.path("limits").path("budget").path("window").asText()).isEqualTo("monthly");
        assertThat(tenant.path("allowed_models").get(0).asText()).isEqualTo("llama3.2");
        assertThat(tenant.path("disabled").asBoolean()).isFalse();
        assertThat(tenant.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        assertThat(gateway.admin("POST", "/tenants", "{\"name\":\"" + name.toUpperCase() + "\"}").statusCode()).isEqualTo(409);
        HttpResponse<String> patched = gateway.admin("PATCH", "/tenants/" + id, "{\"limits\":{\"tpm\":1000},\"disabled\":true}");
        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode after = TestGateway.json(patched.body());
        assertThat(after.path("limits").path("rpm").asLong()).isEqualTo(60);
        assertThat(after.path("limits").path("tpm").asLong()).isEqualTo(1000);
        assertThat(after.path("disabled").asBoolean()).isTrue();
        assertThat(TestGateway.json(gateway.admin("GET", "/tenants/" + id, null).body()).path("name").asText()).isEqualTo(name);

        assertThat(gateway.admin("DELETE", "/tenants/" + id, null).statusCode()).isEqualTo(204);
        assertThat(gateway.admin("GET", "/tenants/" + id, null).statusCode()).isEqualTo(404);
        assertThat(gateway.admin("PATCH", "/tenants/" + id, "{\"disabled\":false}").statusCode()).isEqualTo(404);
        assertThat(gateway.admin("GET", "/tenants/ten_missing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void oneEventLoopPerCpuServesTheListenersAndTheUpstreams() {
        var loops = gateway.running().context().getBean(io.micronaut.http.netty.channel.EventLoopGroupRegistry.class)
                .getDefaultEventLoopGroup();
        int n = 0;
        for (var ignored : loops) {
            n++;
        }
        assertThat(n).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void racesForOneTenantNameLeaveOneWinnerAndAnswer409ToTheRest() throws Exception {
        String name = "race-" + System.nanoTime();
        List<String> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            creates.add("{\"name\":\"" + (i % 2 == 0 ? name : name.toUpperCase()) + "\"}");
        }
        List<HttpResponse<String>> created = atOnce(creates, body -> gateway.admin("POST", "/tenants", body));
        assertThat(created).extracting(HttpResponse::statusCode).containsOnlyOnce(201).allMatch(s -> s == 201 || s == 409);
        assertThat(created).filteredOn(r -> r.statusCode() == 409)
                .allMatch(r -> TestGateway.json(r.body()).path("error").path("field").asText().equals("name"));

        // two other tenants renamed to one new name at the same moment
        String renamed = "renamed-" + System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(TestGateway.json(gateway.admin("POST", "/tenants", "{\"name\":\"" + renamed + "-" + i + "\"}").body())
                    .path("id").asText());
        }
        List<HttpResponse<String>> patched = atOnce(ids,
                id -> gateway.admin("PATCH", "/tenants/" + id, "{\"name\":\"" + renamed + "\"}"));
        assertThat(patched).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
    }

    /** Runs one call per input on its own thread, all released by one latch; answers the results in input order. */
    private static <I> List<HttpResponse<String>> atOnce(List<I> inputs,
                                                         java.util.function.Function<I, HttpResponse<String>> call)
            throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(inputs.size());
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (I input : inputs) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(input);
                }));
            }
            start.countDown();
            List<HttpResponse<String>> results = new ArrayList<>();
            for (var f : futures) {
                results.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listsArePagedWithCursors() {
        String prefix = "page-" + System.nanoTime() + "-";
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.admin("POST", "/tenants", "{\"name\":\"" + prefix + i + "\"}").statusCode()).isEqualTo(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = TestGateway.json(gateway.admin("GET", "/tenants?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null).body());
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            page.path("items").forEach(t -> seen.add(t.path("name").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.stream().filter(n -> n.startsWith(prefix))).hasSize(5);
        assertThat(gateway.admin("GET", "/tenants?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(gateway.admin("GET", "/tenants?cursor=%27%20OR%201=1--", null).statusCode()).isEqualTo(400);
    }

    @Test
    void adminValidationNamesTheField() {
        String[][] cases = {
                {"{\"name\":\"\"}", "name"},
                {"{\"name\":42}", "name"},
                {"{\"name\":\"" + "x".repeat(201) + "\"}", "name"},
                {"{\"name\":\"ok\",\"limits\":{\"rpm\":-1}}", "limits.rpm"},
                {"{\"name\":\"ok\",\"limits\":{\"rpm\":1.5}}", "limits.rpm"},
                {"{\"name\":\"ok\",\"limits\":{\"bogus\":1}}", "limits.bogus"},
                {"{\"name\":\"ok\",\"limits\":{\"budget\":{\"amount\":5,\"window\":\"fortnight\"}}}", "limits.budget.window"},
                {"{\"name\":\"ok\",\"limits\":{\"budget\":{\"amount\":5,\"window\":\"daily\",\"alert_at\":2}}}", "limits.budget.alert_at"},
                {"{\"name\":\"ok\",\"allowed_models\":\"llama\"}", "allowed_models"},
                {"{\"name\":\"ok\",\"allowed_models\":[\"a b\"]}", "allowed_models[0]"},
                {"{\"name\":\"ok\",\"disabled\":\"no\"}", "disabled"},
                {"{\"name\":\"ok\",\"extra\":1}", "extra"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = gateway.admin("POST", "/tenants", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(TestGateway.json(r.body()).path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        HttpResponse<String> malformed = gateway.admin("POST", "/tenants", "{\"name\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(malformed.body()).path("error").path("message").asText()).contains("not valid JSON");
    }

    @Test
    void keysAreShownOnceAndNeverAsHashes() {
        String tenant = TestGateway.json(gateway.admin("POST", "/tenants", "{\"name\":\"keys-" + System.nanoTime() + "\"}").body()).path("id").asText();
        HttpResponse<String> created = gateway.admin("POST", "/tenants/" + tenant + "/keys",
                "{\"name\":\"ci\",\"allowed_models\":[\"llama3.2\"],\"expires_at\":\"2099-01-01T00:00:00+01:00\",\"limits\":{\"concurrency\":2}}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode key = TestGateway.json(created.body());
        String plaintext = key.path("key").asText();
        assertThat(plaintext).matches("sk-tg-[0-9A-Za-z]{40}");
        assertThat(key.path("prefix").asText()).isEqualTo(plaintext.substring(0, 10));
        assertThat(key.path("status").asText()).isEqualTo("active");
        assertThat(key.path("expires_at").asText()).isEqualTo("2098-12-31T23:00:00Z");
        assertThat(key.path("limits").path("concurrency").asLong()).isEqualTo(2);
        assertThat(created.body()).doesNotContain("hash");

        String id = key.path("id").asText();
        HttpResponse<String> read = gateway.admin("GET", "/keys/" + id, null);
        assertThat(read.body()).doesNotContain(plaintext.substring(10)).doesNotContain("\"key\"");
        JsonNode list = TestGateway.json(gateway.admin("GET", "/tenants/" + tenant + "/keys", null).body());
        assertThat(list.path("items")).hasSize(1);
        assertThat(list.path("items").get(0).has("key")).isFalse();
        assertThat(gateway.admin("POST", "/tenants/" + tenant + "/keys", "{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}").statusCode()).isEqualTo(400);
        assertThat(gateway.admin("POST", "/tenants/ten_nope/keys", "{\"name\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(gateway.admin("GET", "/keys/key_nope", null).statusCode()).isEqualTo(404);
    }

    /** The table holds HMAC-SHA256 of the key under the server secret, indexed for lookup, and never the key. */
    @Test
    void keysAreStoredOnlyAsAnHmacUnderTheServerSecret() throws Exception {
        String tenant = TestGateway.json(gateway.admin("POST", "/tenants", "{\"name\":\"hash-" + System.nanoTime() + "\"}").body()).path("id").asText();
        JsonNode key = TestGateway.json(gateway.admin("POST", "/tenants/" + tenant + "/keys", "{\"name\":\"h\"}").body());
        String plaintext = key.path("key").asText();

        ApplicationContext context = gateway.running().context();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(context.getBean(ServerSecret.class).derive("api-keys"), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        DataSource db = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
        try (Connection c = db.getConnection();
             PreparedStatement row = c.prepareStatement("SELECT key_hash, k.*::text AS whole FROM api_keys k WHERE id = ?");
             PreparedStatement index = c.prepareStatement("SELECT count(*) FROM pg_indexes WHERE tablename = 'api_keys' "
                     + "AND indexdef LIKE 'CREATE UNIQUE INDEX%(key_hash)'")) {
            row.setString(1, key.path("id").asText());
            try (ResultSet r = row.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString("key_hash")).isEqualTo(expected);
                assertThat(r.getString("whole")).doesNotContain(plaintext.substring(10));
            }
            try (ResultSet r = index.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void adminApiNeedsASession() {
        HttpResponse<String> anonymous = get(gateway.adminUrl(), "/admin/api/tenants", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> forged = get(gateway.adminUrl(), "/admin/api/tenants", "Authorization", "Bearer tg1.usr_x.9999999999.AAAA");
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = gateway.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/admin/api/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"wrong-password\"}")).build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("token");
    }

    @Test
    void disabledTenantsKeysAreRefused() {
        String tenant = TestGateway.json(gateway.admin("POST", "/tenants", "{\"name\":\"dis-" + System.nanoTime() + "\"}").body()).path("id").asText();
        String plaintext = TestGateway.json(gateway.admin("POST", "/tenants/" + tenant + "/keys", "{\"name\":\"d\"}").body()).path("key").asText();
        String chat = "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[]}";
        assertThat(post("/api/chat", plaintext, chat).statusCode()).isEqualTo(200);
        gateway.admin("PATCH", "/tenants/" + tenant, "{\"disabled\":true}");
        await(() -> post("/api/chat", plaintext, chat).statusCode() == 401, Instant.now().plusSeconds(3));
    }

    protected static void await(BooleanSupplier condition, Instant deadline) {
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met before the deadline");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
