// Why: fail mode decides what a gateway does when its limit state is gone. With "closed" (the default) every request
// gets a 503 within 250 ms, never a hang and never an unmetered 200, and service comes back by itself when Redis
// does; with "open" requests flow and each unenforced one is logged. Either way the admin API's key status answers
// 503, not 500, while the limit state cannot be read. This test owns its Redis server so it can stop and restart it
// under load.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminClient.NewKey;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.FreePorts;
import dev.tollgate.support.Replica;
import java.io.File;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class RedisOutageIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Outcome(int status, long millis, String retryAfter) {
    }

    private Outcome call(Replica replica, String key) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(replica.proxyUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Outcome(r.statusCode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                r.headers().firstValue("retry-after").orElse(null));
    }

    private static Process redisServer(int port) throws Exception {
        Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new AssertionError("redis-server did not start on " + port);
                }
                Thread.onSpinWait();
            }
        }
    }

    private static boolean redisInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "redis-server").canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void closedModeAnswers503FastAndRecoversOpenModeServesAndCounts() throws Exception {
        Assumptions.assumeTrue(redisInstalled(), "redis-server is not installed");
        int redisPort = FreePorts.next();
        Process redis = redisServer(redisPort);
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(3).delayMs(0))) {
            String database = ExternalServices.freshDatabase();
            Map<String, String> env = Map.of("DATABASE_URL", database, "REDIS_URL", "redis://127.0.0.1:" + redisPort + "/0",
                    "OLLAMA_URL", mock.baseUrl());
            try (Replica closed = Replica.start(env);
                 Replica open = Replica.start(new java.util.HashMap<>(env) {{ put("TOLLGATE_FAIL_MODE", "open"); }})) {
                AdminClient admin = new AdminClient(closed.adminUrl(), dev.tollgate.support.TestGateway.PASSWORD);
                NewKey k = admin.keyWithLimits("null", "{\"rpm\":100000}");
                String status = "/keys/" + k.keyId() + "/status";
                assertThat(admin.call("GET", status, null).statusCode()).isEqualTo(200);
                assertThat(call(closed, k.key()).status()).isEqualTo(200);
                assertThat(call(open, k.key()).status()).isEqualTo(200);

                redis.destroyForcibly();
                redis.waitFor(10, TimeUnit.SECONDS);
                long servedBefore = mock.stats().modelCalls();
                List<Outcome> closedOutcomes = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    closedOutcomes.add(call(closed, k.key()));
                }
                assertThat(closedOutcomes).allSatisfy(o -> {
                    assertThat(o.status()).isEqualTo(503);
                    assertThat(o.millis()).isLessThanOrEqualTo(250);
                    assertThat(o.retryAfter()).isEqualTo("1");
                });
                assertThat(mock.stats().modelCalls()).as("nothing reached the upstream unmetered").isEqualTo(servedBefore);
                HttpResponse<String> unreadable = admin.call("GET", status, null);
                assertThat(unreadable.statusCode()).as(unreadable.body()).isEqualTo(503);
                assertThat(unreadable.headers().firstValue("retry-after")).contains("1");
                assertThat(AdminClient.json(unreadable.body()).path("error").path("message").asText()).contains("limit state");

                for (int i = 0; i < 5; i++) {
                    assertThat(call(open, k.key()).status()).isEqualTo(200);
                }
                assertThat(open.awaitLog("5 unenforced so far", Duration.ofSeconds(5))).isTrue();

                redis = redisServer(redisPort);
                long restarted = System.nanoTime();
                Outcome o;
                do {
                    o = call(closed, k.key());
                } while (o.status() == 503 && System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(15));
                assertThat(o.status()).as("recovered after Redis came back").isEqualTo(200);
                assertThat(admin.call("GET", status, null).statusCode()).isEqualTo(200);
                assertThat(call(open, k.key()).status()).isEqualTo(200);
            }
        } finally {
            redis.destroyForcibly();
        }
    }
}
