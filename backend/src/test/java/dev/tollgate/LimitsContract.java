// Why: the limits as a client meets them, in both storage modes: 429s in each dialect with Retry-After and the
// contract's codes, x-ratelimit-* headers, reservations settled to the upstream's own counts (streaming or not),
// concurrency slots, tenant limits on top of key limits, output caps, admin changes taking effect, and the key
// status the admin API reads back (KeyStatusApiContract).
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.support.MockedGatewaySuite;
import dev.tollgate.support.TestGateway;
import dev.tollgate.support.AdminClient.NewKey;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

public abstract class LimitsContract extends MockedGatewaySuite implements KeyStatusApiContract {
    private static final String CHAT = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"count these five words\"}]%s}";

    @Override
    public TestGateway gateway() {
        return gateway;
    }

    @Override
    protected Map<String, String> suiteEnv() {
        return Map.of("TOLLGATE_DEFAULT_MAX_TOKENS", "7");
    }

    private HttpResponse<String> post(String path, String key, String body) {
        return gateway.send(request(path, key, body));
    }

    private HttpRequest request(String path, String key, String body) {
        return HttpRequest.newBuilder(URI.create(gateway.proxyUrl() + path))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> chat(String key, String extra) {
        return post("/v1/chat/completions", key, CHAT.formatted(extra));
    }

    private static long header(HttpResponse<?> r, String name) {
        return Long.parseLong(r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " in " + r.headers().map())));
    }

    @Test
    void rpmRefusesWithRateLimitErrorsInBothDialects() {
        NewKey k = gateway.keyWithLimits("null", "{\"rpm\":2}");
        assertThat(chat(k.key(), "").statusCode()).isEqualTo(200);
        assertThat(chat(k.key(), "").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(k.key(), "");
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = TestGateway.json(refused.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("message").asText()).contains("rpm").contains("this key");
        assertThat(header(refused, "retry-after")).isBetween(1L, 61L);
        assertThat(refused.headers().firstValue("x-request-id")).isPresent();

        HttpResponse<String> ollama = post("/api/chat", k.key(), "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[]}");
        assertThat(ollama.statusCode()).isEqualTo(429);
        assertThat(TestGateway.json(ollama.body()).path("error").asText()).contains("rpm");
        assertThat(header(ollama, "retry-after")).isBetween(1L, 61L);
        assertThat(mock.stats().modelCalls()).isEqualTo(2);
    }

    @Test
    void spentQuotaIsInsufficientQuotaUntilTheWindowEnds() {
        NewKey k = gateway.keyWithLimits("null", "{\"daily_requests\":1}");
        assertThat(chat(k.key(), "").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(k.key(), "");
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = TestGateway.json(refused.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
        assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
        assertThat(error.path("message").asText()).contains("daily_requests");
        // the daily window ends at the next midnight (UTC here): Retry-After counts the seconds to it
        assertThat(header(refused, "retry-after")).isBetween(1L, 24L * 3600);
    }

    @Test
    void tenantLimitsApplyToAllItsKeysTogether() {
        NewKey first = gateway.keyWithLimits("{\"rpm\":1}", "null");
        NewKey second = gateway.keyFor(first.tenantId(), "{\"rpm\":100}");
        assertThat(chat(first.key(), "").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(second.key(), "");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(TestGateway.json(refused.body()).path("error").path("message").asText()).contains("this key's tenant");
    }

    @Test
    void responsesCarryTheTightestLimitsInHeaders() {
        NewKey unlimited = gateway.keyWithLimits("null", "null");
        HttpResponse<String> plain = chat(unlimited.key(), "");
        assertThat(plain.headers().firstValue("x-request-id")).isPresent();
        assertThat(plain.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();

        NewKey k = gateway.keyWithLimits("{\"rpm\":5,\"daily_tokens\":100000}", "{\"rpm\":10,\"tpm\":5000}");
        HttpResponse<String> r = chat(k.key(), "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-ratelimit-limit-requests")).isEqualTo(5);
        assertThat(header(r, "x-ratelimit-remaining-requests")).isEqualTo(4);
        assertThat(r.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()).matches("\\d+(ms|s)|1m[01]s");
        assertThat(header(r, "x-ratelimit-limit-tokens")).isEqualTo(5000);
        assertThat(header(r, "x-ratelimit-remaining-tokens")).isLessThan(5000);
        assertThat(r.headers().firstValue("x-ratelimit-reset-tokens").orElseThrow()).matches("\\d+(ms|s)|\\d+m\\d+s");
        assertThat(r.headers().firstValue("x-request-id")).isPresent();
    }

    /** Two identical requests reserve the same estimate; the second's headers show what the first settled to. */
    private long settledTokensOfFirst(String key, String path, String body, java.util.function.Function<String, Long> reported) {
        HttpResponse<String> first = post(path, key, body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        long remainingAfterFirst = header(first, "x-ratelimit-remaining-tokens");
        HttpResponse<String> second = post(path, key, body);
        assertThat(second.statusCode()).isEqualTo(200);
        long remainingAfterSecond = header(second, "x-ratelimit-remaining-tokens");
        long settled = remainingAfterFirst - remainingAfterSecond;
        assertThat(settled).isEqualTo(reported.apply(first.body()));
        return settled;
    }

    @Test
    void reservationsSettleToTheUpstreamsReportedUsage() {
        // OpenAI, not streaming: usage object
        NewKey a = gateway.keyWithLimits("null", "{\"daily_tokens\":100000}");
        assertThat(settledTokensOfFirst(a.key(), "/v1/chat/completions", CHAT.formatted(",\"max_tokens\":5"),
                body -> TestGateway.json(body).path("usage").path("total_tokens").asLong())).isEqualTo(4 + 5);
        // OpenAI, streaming: the gateway asks for the usage chunk and hides it from a client that did not ask
        NewKey b = gateway.keyWithLimits("null", "{\"daily_tokens\":100000}");
        settledTokensOfFirst(b.key(), "/v1/chat/completions", CHAT.formatted(",\"max_tokens\":5,\"stream\":true"), body -> {
            assertThat(body).doesNotContain("\"usage\":{").endsWith("data: [DONE]\n\n");
            return 4L + 5;
        });
        // Ollama, streaming: the final done object's counts
        NewKey c = gateway.keyWithLimits("null", "{\"daily_tokens\":100000}");
        settledTokensOfFirst(c.key(), "/api/chat",
                "{\"model\":\"llama3.2\",\"options\":{\"num_predict\":6},\"messages\":[{\"role\":\"user\",\"content\":\"three words here\"}]}",
                body -> {
                    JsonNode last = TestGateway.json(body.lines().reduce((x, y) -> y).orElseThrow());
                    return last.path("prompt_eval_count").asLong() + last.path("eval_count").asLong();
                });
    }

    @Test
    void aClientThatAskedForUsageStillGetsIt() {
        NewKey k = gateway.keyWithLimits("null", "{\"daily_tokens\":100000}");
        HttpResponse<String> r = chat(k.key(), ",\"max_tokens\":2,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"usage\":{").contains("\"completion_tokens\":2");
    }

    @Test
    void anUncappedRequestOfALimitedKeyIsCappedAtTheReservedOutput() {
        // TOLLGATE_DEFAULT_MAX_TOKENS=7 is reserved and forwarded as max_tokens; the mock would otherwise send 3
        NewKey k = gateway.keyWithLimits("null", "{\"tpm\":100000}");
        HttpResponse<String> r = chat(k.key(), "");
        assertThat(TestGateway.json(r.body()).path("usage").path("completion_tokens").asLong()).isEqualTo(7);
        // an unlimited key's request is forwarded untouched
        NewKey free = gateway.keyWithLimits("null", "null");
        assertThat(TestGateway.json(chat(free.key(), "").body()).path("usage").path("completion_tokens").asLong()).isEqualTo(3);
    }

    @Test
    void aTooLargeRequestIsRefusedBeforeTheUpstreamIsCalled() {
        NewKey k = gateway.keyWithLimits("null", "{\"tpm\":50}");
        HttpResponse<String> r = chat(k.key(), ",\"max_tokens\":1000");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("tpm");
        assertThat(mock.stats().modelCalls()).isZero();
    }

    @Test
    void concurrencySlotsAreHeldWhileStreamingAndFreedAtTheEnd() throws Exception {
        mock.config().tokens(20).delayMs(25);
        NewKey k = gateway.keyWithLimits("null", "{\"concurrency\":1}");
        HttpRequest stream = request("/api/generate", k.key(), "{\"model\":\"llama3.2\",\"prompt\":\"go\"}");
        HttpResponse<InputStream> running = gateway.http().send(stream, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(running.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).contains("\"done\":false");
        HttpResponse<String> refused = post("/api/generate", k.key(), "{\"model\":\"llama3.2\",\"prompt\":\"go\",\"stream\":false}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("concurrency");
        String last = null;
        for (String line; (line = lines.readLine()) != null; ) {
            last = line;
        }
        assertThat(last).contains("\"done\":true");
        // settlement runs when the response has ended; the slot is free moments later
        mock.config().tokens(1).delayMs(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int status;
        do {
            status = post("/api/generate", k.key(), "{\"model\":\"llama3.2\",\"prompt\":\"go\",\"stream\":false}").statusCode();
        } while (status == 429 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    @Test
    void aCancelledStreamKeepsItsReservationCounted() throws Exception {
        mock.config().tokens(50).delayMs(20);
        NewKey k = gateway.keyWithLimits("null", "{\"daily_tokens\":100000}");
        String body = CHAT.formatted(",\"max_tokens\":50,\"stream\":true");
        HttpResponse<InputStream> running = gateway.http().send(request("/v1/chat/completions", k.key(), body),
                HttpResponse.BodyHandlers.ofInputStream());
        long reservedFirst = 100000 - header(running, "x-ratelimit-remaining-tokens");
        BufferedReader lines = new BufferedReader(new InputStreamReader(running.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("data: ");
        running.body().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (mock.stats().streamsCancelled() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(mock.stats().streamsCancelled()).isEqualTo(1);
        mock.config().tokens(3).delayMs(0);
        HttpResponse<String> next = chat(k.key(), ",\"max_tokens\":50");
        // nothing was measured for the cancelled stream: its whole reservation stays counted
        assertThat(100000 - header(next, "x-ratelimit-remaining-tokens")).isEqualTo(2 * reservedFirst);
    }

    @Test
    void aSpentBudgetRefusesAndItsAlertIsRecordedOnce() {
        assertThat(gateway.admin("PUT", "/pricing", "{\"qwen2.5:0.5b\":{\"per_request\":0.01}}").statusCode()).isEqualTo(200);
        NewKey k = gateway.keyWithLimits("null",
                "{\"budget\":{\"amount\":0.035,\"currency\":\"USD\",\"window\":\"daily\",\"alert_at\":0.5}}");
        String body = "{\"model\":\"qwen2.5:0.5b\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (int i = 0; i < 3; i++) {
            assertThat(post("/v1/chat/completions", k.key(), body).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = post("/v1/chat/completions", k.key(), body);
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = TestGateway.json(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
        assertThat(error.path("message").asText()).contains("budget").contains("0.035 USD");
        // the second (0.02 USD used) and third (0.03) admissions both passed alert_at (0.0175): one event per window
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode items;
        do {
            items = TestGateway.json(gateway.admin("GET", "/alerts?tenant=" + k.tenantId(), null).body()).path("items");
        } while (items.size() == 0 && System.nanoTime() < deadline);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("key_id").asText()).isEqualTo(k.keyId());
        assertThat(items.get(0).path("window").asText()).isEqualTo("daily");
    }

    @Test
    void limitsChangedThroughTheAdminApiTakeEffectWithinTwoSeconds() {
        NewKey k = gateway.keyWithLimits("null", "null");
        assertThat(chat(k.key(), "").statusCode()).isEqualTo(200);
        assertThat(gateway.admin("PATCH", "/keys/" + k.keyId(), "{\"limits\":{\"daily_requests\":1}}").statusCode()).isEqualTo(200);
        long changed = System.nanoTime();
        int status;
        do {
            status = chat(k.key(), "").statusCode();
        } while (status == 200 && System.nanoTime() - changed < TimeUnit.SECONDS.toNanos(3));
        assertThat(status).isEqualTo(429);
        // the admin change drops this replica's cached key at once (other replicas: MultiReplicaLimitsIT)
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed)).isLessThanOrEqualTo(2000);
    }
}
