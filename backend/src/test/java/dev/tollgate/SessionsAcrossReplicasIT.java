// Why: sessions and the login throttle are fleet-wide promises: two gateway processes share one Postgres and one
// Redis; a session ended on one is refused by the other at once, and failed logins count on both together. The
// throttle variables are set (and the session lifetime) so the jar is also shown to read them.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.FromAddress;
import dev.tollgate.support.Replica;
import dev.tollgate.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionsAcrossReplicasIT {
    private static final String ADMIN_LOGIN = "{\"username\":\"admin\",\"password\":\"" + TestGateway.PASSWORD + "\"}";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MockUpstream mock;
    private Replica a;
    private Replica b;

    @BeforeAll
    void start() throws Exception {
        // a replica is ready only with an upstream that answers
        mock = MockUpstream.start(new MockConfig().port(0));
        Map<String, String> env = Map.of("OLLAMA_URL", mock.baseUrl(), "DATABASE_URL", ExternalServices.freshDatabase(),
                "REDIS_URL", ExternalServices.redis(), "TOLLGATE_SESSION_TTL", "1h", "TOLLGATE_LOGIN_USERNAME_ATTEMPTS", "3", "TOLLGATE_LOGIN_ADDRESS_ATTEMPTS", "7");
        a = Replica.start(env);
        b = Replica.start(env);
    }

    @AfterAll
    void stop() {
        for (Replica r : new Replica[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
        if (mock != null) {
            mock.close();
        }
    }

    private HttpResponse<String> send(Replica replica, String method, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.adminUrl() + "/admin/api" + path))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static FromAddress.Response login(Replica replica, String from, String body) {
        return FromAddress.post(from, replica.adminUrl(), "/admin/api/login", body);
    }

    @Test
    void aSessionEndedOnOneReplicaIsRefusedOnTheOther() throws Exception {
        FromAddress.Response in = login(a, FromAddress.randomLoopback(), ADMIN_LOGIN);
        assertThat(in.status()).isEqualTo(200);
        JsonNode body = TestGateway.json(in.body());
        String token = body.path("token").asText();
        assertThat(Duration.between(Instant.now(), Instant.parse(body.path("expires_at").asText())))
                .as("TOLLGATE_SESSION_TTL=1h").isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
        assertThat(send(b, "GET", "/me", token).statusCode()).isEqualTo(200);
        assertThat(send(b, "POST", "/logout", token).statusCode()).isEqualTo(204);
        for (String path : List.of("/me", "/tenants")) {
            assertThat(send(a, "GET", path, token).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void failedLoginsCountOnEveryReplica() {
        String from = FromAddress.randomLoopback();
        String ghost = "{\"username\":\"ghost-" + System.nanoTime() + "\",\"password\":\"not-the-password\"}";
        Replica[] alternate = {a, b, a};
        for (Replica r : alternate) {
            assertThat(login(r, from, ghost).status()).isEqualTo(401);
        }
        FromAddress.Response throttled = login(b, from, ghost);
        assertThat(throttled.status()).as("the third failure was on the other replica").isEqualTo(429);
        assertThat(Long.parseLong(throttled.headers().get("retry-after"))).isBetween(1L, 900L);
        for (int i = 0; i < 4; i++) {
            String guess = "{\"username\":\"spray-" + i + "-" + System.nanoTime() + "\",\"password\":\"guess-guess\"}";
            assertThat(login(i % 2 == 0 ? b : a, from, guess).status()).as("guess " + i).isEqualTo(401);
        }
        assertThat(login(a, from, ADMIN_LOGIN).status()).as("the address used its 7 attempts on both replicas").isEqualTo(429);
        assertThat(login(b, FromAddress.randomLoopback(), ADMIN_LOGIN).status()).isEqualTo(200);
    }
}
