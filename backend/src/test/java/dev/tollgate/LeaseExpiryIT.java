// Why: concurrency slots are leases. A stream longer than the lease keeps its slot (its replica renews it), and a
// replica killed with -9 (no settlement, no shutdown hook) cannot hold its slots for longer than one lease.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminClient.NewKey;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.Replica;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaseExpiryIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpRequest generate(Replica replica, String key, boolean stream) {
        return HttpRequest.newBuilder(URI.create(replica.proxyUrl() + "/api/generate"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"prompt\":\"go\",\"stream\":" + stream + "}"))
                .build();
    }

    private int status(Replica replica, String key) throws Exception {
        return http.send(generate(replica, key, false), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aKilledReplicasSlotsFreeThemselvesAfterTheLease() throws Exception {
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(200).delayMs(50))) {
            Map<String, String> env = Map.of("DATABASE_URL", ExternalServices.freshDatabase(), "REDIS_URL", ExternalServices.redis(),
                    "OLLAMA_URL", mock.baseUrl(), "TOLLGATE_LIMITS_LEASE", LEASE.toSeconds() + "s");
            try (Replica a = Replica.start(env); Replica b = Replica.start(env)) {
                NewKey k = new AdminClient(a.adminUrl(), dev.tollgate.support.TestGateway.PASSWORD)
                        .keyWithLimits("null", "{\"concurrency\":2}");
                // two 10 s streams on replica A take both slots
                for (int i = 0; i < 2; i++) {
                    HttpResponse<InputStream> s = http.send(generate(a, k.key(), true), HttpResponse.BodyHandlers.ofInputStream());
                    assertThat(s.statusCode()).isEqualTo(200);
                    BufferedReader lines = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8));
                    assertThat(lines.readLine()).contains("\"done\":false");
                }
                // for longer than a lease, the running streams keep their slots (A renews them): B refuses throughout
                mock.config().tokens(1).delayMs(0);
                long until = System.nanoTime() + LEASE.plusMillis(1500).toNanos();
                int checks = 0;
                while (System.nanoTime() < until) {
                    assertThat(status(b, k.key())).as("check %d while A streams", checks).isEqualTo(429);
                    checks++;
                }
                assertThat(checks).isGreaterThan(3);

                a.kill9();
                long killed = System.nanoTime();
                assertThat(status(b, k.key())).as("right after the kill the slots are still leased").isEqualTo(429);
                int status;
                do {
                    status = status(b, k.key());
                } while (status == 429 && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10));
                long freedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertThat(status).isEqualTo(200);
                // the last renewal happened at most a third of a lease before the kill; one lease (+1 s of rounding
                // to whole seconds) after that the slots are free
                assertThat(freedAfterMs).isLessThanOrEqualTo(LEASE.toMillis() + 1500);
            }
        }
    }
}
