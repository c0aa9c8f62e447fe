// Why: issue 4's promise that every token passing through is counted once and priced: after a mix of calls in
// both dialects, streaming and not, some cut short by the client, some on an upstream that reports nothing,
// some refused, the request log holds one row per call with the expected counts and costs, and the daily
// rollups hold exactly the sums of those rows. Runs in embedded and production mode.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.proxy.ModelCall;
import dev.tollgate.proxy.RequestEstimate;
import dev.tollgate.proxy.RequestInspector;
import dev.tollgate.support.AdminClient.NewKey;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.Await;
import dev.tollgate.support.MockedGatewaySuite;
import dev.tollgate.usage.TokenEstimator;
import io.micronaut.jdbc.DataSourceResolver;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

public abstract class LedgerContract extends MockedGatewaySuite {
    /** USD 1000 and 2000 per million tokens and 1 cent a request: 1000 µ$ per prompt token, 2000 per output token. */
    private static final String PRICES = "{\"llama3.2\":{\"input_per_mtok\":1000,\"output_per_mtok\":2000,\"per_request\":0.01},"
            + "\"mock-stall\":{\"input_per_mtok\":1000,\"output_per_mtok\":2000},\"mock-silent\":{\"output_per_mtok\":2000}}";
    private final TokenEstimator tokens = new TokenEstimator();

    /** One kind of call: where it goes, its body, and the row the ledger must hold for it. */
    private record Call(String name, String path, String body, boolean cancel, Expected expected) {
    }

    private record Expected(int status, long prompt, long completion, boolean estimated, long costMicros, String error) {
    }

    @Override
    protected Map<String, String> suiteEnv() {
        return Map.of("TOLLGATE_USAGE_FLUSH_INTERVAL", "50ms");
    }

    private static long llama(long prompt, long completion) {
        return prompt * 1000 + completion * 2000 + 10_000;
    }

    private long estimatedPrompt(ModelCall call, String body) {
        return RequestEstimate.of(RequestInspector.inspect(body.getBytes(StandardCharsets.UTF_8), true), call, 4096,
                tokens).promptTokens();
    }

    private List<Call> calls() {
        String ollamaStall = "{\"model\":\"mock-stall\",\"messages\":[{\"role\":\"user\",\"content\":\"stall here\"}]}";
        String openaiStall = "{\"model\":\"mock-stall\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"stall again please\"}]}";
        String silent = "{\"model\":\"mock-silent\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"say nothing\"}]}";
        long silentPrompt = estimatedPrompt(ModelCall.OPENAI_CHAT, silent);
        long silentOutput = tokens.count("tok0 tok1 tok2 tok3 ");
        String brokenOff = "{\"model\":\"mock-slow-fail\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"half\"}]}";
        return List.of(
                new Call("ollama chat", "/api/chat", "{\"model\":\"llama3.2\",\"stream\":false,\"options\":{\"num_predict\":4},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}", false,
                        new Expected(200, 3, 4, false, llama(3, 4), null)),
                new Call("ollama chat stream", "/api/chat", "{\"model\":\"llama3.2\",\"options\":{\"num_predict\":5},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}", false,
                        new Expected(200, 2, 5, false, llama(2, 5), null)),
                new Call("ollama generate", "/api/generate", "{\"model\":\"llama3.2\",\"stream\":false,\"prompt\":\"x y z w\","
                        + "\"options\":{\"num_predict\":2}}", false, new Expected(200, 4, 2, false, llama(4, 2), null)),
                new Call("ollama embed", "/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[\"h i\"]}", false,
                        new Expected(200, 2, 0, false, 0, null)),
                new Call("openai chat", "/v1/chat/completions", "{\"model\":\"llama3.2\",\"max_tokens\":6,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"p q\"}]}", false,
                        new Expected(200, 2, 6, false, llama(2, 6), null)),
                new Call("openai chat stream, usage hidden", "/v1/chat/completions", "{\"model\":\"llama3.2\",\"stream\":true,"
                        + "\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"r s t\"}]}", false,
                        new Expected(200, 3, 3, false, llama(3, 3), null)),
                new Call("openai completions stream with usage", "/v1/completions", "{\"model\":\"llama3.2\",\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":4,\"prompt\":\"u v\"}", false,
                        new Expected(200, 2, 4, false, llama(2, 4), null)),
                new Call("openai embeddings", "/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":\"e f g\"}", false,
                        new Expected(200, 3, 0, false, 0, null)),
                new Call("ollama stream cut short", "/api/chat", ollamaStall, true,
                        new Expected(200, estimatedPrompt(ModelCall.OLLAMA_CHAT, ollamaStall), 3, true,
                                estimatedPrompt(ModelCall.OLLAMA_CHAT, ollamaStall) * 1000 + 3 * 2000, "client_closed")),
                new Call("openai stream cut short", "/v1/chat/completions", openaiStall, true,
                        new Expected(200, estimatedPrompt(ModelCall.OPENAI_CHAT, openaiStall), 3, true,
                                estimatedPrompt(ModelCall.OPENAI_CHAT, openaiStall) * 1000 + 3 * 2000, "client_closed")),
                new Call("silent upstream", "/v1/chat/completions", silent, false,
                        new Expected(200, silentPrompt, silentOutput, true, silentOutput * 2000, null)),
                new Call("missing model", "/v1/chat/completions", "{\"model\":\"no-such-model\",\"messages\":[]}", false,
                        new Expected(404, 0, 0, false, 0, "model_not_found")),
                new Call("failing upstream", "/api/chat", "{\"model\":\"mock-fail\",\"stream\":false,\"messages\":[]}", false,
                        new Expected(502, 0, 0, false, 0, "upstream_error")),
                // the client gets a 502 and nothing of the answer: the prompt is estimated, no output was delivered
                new Call("whole answer broken off", "/api/chat", brokenOff, false,
                        new Expected(502, estimatedPrompt(ModelCall.OLLAMA_CHAT, brokenOff), 0, true, 0, "upstream_failed")),
                new Call("malformed body", "/v1/chat/completions", "{\"model\":", false,
                        new Expected(400, 0, 0, false, 0, "invalid_request_error")));
    }

    @Test
    void theLedgerAndItsRollupsMatchTheCallsExactly() throws Exception {
        NewKey key = gateway.keyWithLimits("null", "null");
        assertThat(gateway.admin("PUT", "/pricing", PRICES).statusCode()).isEqualTo(200);
        List<Call> kinds = calls();
        int rounds = 3;
        Map<String, Call> sent = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (Call call : kinds) {
                    running.add(pool.submit(() -> sent.put(send(key.key(), call), call)));
                }
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sent).hasSize(rounds * kinds.size());

        Await.until("every call in the request log", Duration.ofSeconds(20),
                () -> ExternalServices.count(database(), "SELECT count(*) FROM request_log WHERE key_id = '" + key.keyId() + "'") == sent.size());
        Map<String, Map<String, Object>> rows = rows("SELECT * FROM request_log WHERE key_id = '" + key.keyId() + "'");
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        long prompt = 0;
        long completion = 0;
        long cost = 0;
        long errors = 0;
        for (var e : sent.entrySet()) {
            Map<String, Object> row = rows.get(e.getKey());
            Expected x = e.getValue().expected();
            String what = e.getValue().name() + " " + e.getKey();
            assertThat(((Number) row.get("status")).intValue()).as(what).isEqualTo(x.status());
            assertThat(((Number) row.get("prompt_tokens")).longValue()).as(what).isEqualTo(x.prompt());
            assertThat(((Number) row.get("completion_tokens")).longValue()).as(what).isEqualTo(x.completion());
            assertThat(row.get("estimated")).as(what).isEqualTo(x.estimated());
            assertThat(((Number) row.get("cost_micros")).longValue()).as(what).isEqualTo(x.costMicros());
            assertThat(row.get("error_code")).as(what).isEqualTo(x.error());
            assertThat(row.get("tenant_id")).isEqualTo(key.tenantId());
            assertThat(row.get("endpoint")).isEqualTo(e.getValue().path());
            assertThat(row.get("dialect")).isEqualTo(e.getValue().path().startsWith("/api/") ? "ollama" : "openai");
            if (x.status() == 200) {
                assertThat(row.get("upstream")).as(what).isNotNull();
                assertThat(row.get("ttfb_ms")).as(what).isNotNull();
            }
            prompt += x.prompt();
            completion += x.completion();
            cost += x.costMicros();
            errors += x.error() == null ? 0 : 1;
        }
        Map<String, Object> rollup = rows("SELECT 'all' AS request_id, sum(requests) AS requests, sum(errors) AS errors, "
                + "sum(prompt_tokens) AS prompt, sum(completion_tokens) AS completion, sum(cost_micros) AS cost "
                + "FROM usage_daily WHERE key_id = '" + key.keyId() + "'").get("all");
        assertThat(((Number) rollup.get("requests")).longValue()).isEqualTo(sent.size());
        assertThat(((Number) rollup.get("errors")).longValue()).isEqualTo(errors);
        assertThat(((Number) rollup.get("prompt")).longValue()).isEqualTo(prompt);
        assertThat(((Number) rollup.get("completion")).longValue()).isEqualTo(completion);
        assertThat(((Number) rollup.get("cost")).longValue()).isEqualTo(cost);
    }

    @Test
    void promptsAreKeptOnlyForKeysThatAskForThem() throws Exception {
        NewKey quiet = gateway.keyWithLimits("null", "null");
        NewKey logged = gateway.keyFor(quiet.tenantId(), "null");
        var patch = gateway.admin("PATCH", "/keys/" + logged.keyId(), "{\"log_prompts\":true}");
        assertThat(patch.statusCode()).isEqualTo(200);
        assertThat(patch.body()).contains("\"log_prompts\":true");
        assertThat(gateway.admin("PATCH", "/keys/" + logged.keyId(), "{\"log_prompts\":\"yes\"}").statusCode()).isEqualTo(400);
        String body = "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"remember me\"}]}";
        String loggedId = send(logged.key(), new Call("logged", "/api/chat", body, false, null));
        awaitRow(loggedId);
        String quietId = send(quiet.key(), new Call("quiet", "/api/chat", body, false, null));
        awaitRow(quietId);
        assertThat(ExternalServices.count(database(), "SELECT count(*) FROM prompt_log WHERE key_id = '" + quiet.keyId() + "'")).isZero();
        Map<String, Map<String, Object>> prompts = rows("SELECT request_id, body FROM prompt_log WHERE key_id = '"
                + logged.keyId() + "'");
        assertThat(prompts).containsOnlyKeys(loggedId);
        assertThat(prompts.get(loggedId).get("body")).isEqualTo(body);
    }

    private void awaitRow(String requestId) {
        Await.until("row " + requestId, Duration.ofSeconds(10),
                () -> ExternalServices.count(database(), "SELECT count(*) FROM request_log WHERE request_id = '" + requestId + "'") == 1);
    }

    /** Sends the call (reading a cut-short stream up to its third token, then leaving); answers its request id. */
    private String send(String key, Call call) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.proxyUrl() + call.path()))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(call.body())).build();
        try {
            if (!call.cancel()) {
                HttpResponse<String> r = gateway.http().send(request, HttpResponse.BodyHandlers.ofString());
                if (call.expected() != null) {
                    assertThat(r.statusCode()).as(call.name() + ": " + r.body()).isEqualTo(call.expected().status());
                }
                if (call.name().contains("usage hidden")) {
                    assertThat(r.body()).doesNotContain("\"usage\"");
                }
                return r.headers().firstValue("x-request-id").orElseThrow();
            }
            HttpResponse<InputStream> r = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                StringBuilder seen = new StringBuilder();
                byte[] buf = new byte[256];
                int n;
                while (!seen.toString().contains("tok2 ") && (n = in.read(buf)) > 0) {
                    seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                assertThat(seen.toString()).contains("tok2 ");
            }
            return r.headers().firstValue("x-request-id").orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(call.name() + " failed", e);
        }
    }

    private DataSource database() {
        var context = gateway.running().context();
        return context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
    }

    /** Rows by their request_id column. */
    private Map<String, Map<String, Object>> rows(String sql) {
        try (Connection c = database().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            Map<String, Map<String, Object>> out = new HashMap<>();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.put(rs.getString("request_id"), row);
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
