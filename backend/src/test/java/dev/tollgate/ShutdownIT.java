// Why: a replica told to stop (SIGTERM) closes its listeners before anything else, so a request that arrives on a new
// connection while it shuts down is refused at connect, and a client or load balancer can try another replica. Before,
// such requests reached a context whose executors were already shut down and were answered 500, with a stack trace in
// the log, for the second or more that the rest of the shutdown took.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.FromAddress;
import dev.tollgate.support.Replica;
import dev.tollgate.support.TestGateway;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShutdownIT {
    /** Stands for "no answer": the connection was refused or closed. */
    private static final int REFUSED = -1;

    /** The status of one request on a connection of its own, or {@link #REFUSED}. */
    private static int onNewConnection(Replica replica, String method, String path, Map<String, String> headers,
                                       String body) {
        try {
            return FromAddress.exchange("127.0.0.1", replica.proxyUrl(), method, path, headers, body).status();
        } catch (IOException e) {
            return REFUSED;
        }
    }

    @Test
    void requestsOnNewConnectionsDuringShutdownAreRefusedNeverAnswered500() throws Exception {
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(2).delayMs(0))) {
            Replica replica = Replica.start(Map.of("DATABASE_URL", ExternalServices.freshDatabase(),
                    "REDIS_URL", ExternalServices.redis(), "OLLAMA_URL", mock.baseUrl()));
            List<Integer> seen = new ArrayList<>();
            try {
                String key = new AdminClient(replica.adminUrl(), TestGateway.PASSWORD).keyWithLimits("null", "null").key();
                Map<String, String> auth = Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json");
                String chat = "{\"model\":\"llama3.2\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                assertThat(onNewConnection(replica, "POST", "/v1/chat/completions", auth, chat)).isEqualTo(200);
                replica.terminate();
                while (replica.alive()) {
                    seen.add(onNewConnection(replica, "GET", "/health/ready", Map.of(), null));
                    seen.add(onNewConnection(replica, "POST", "/v1/chat/completions", auth, chat));
                }
            } finally {
                replica.close();
            }
            assertThat(seen).as("asked until the process ended").isNotEmpty();
            assertThat(seen).as("answered before the signal took effect, or refused after").allMatch(s -> s == 200 || s == REFUSED);
            assertThat(replica.log()).noneMatch(l -> l.contains("RejectedExecutionException"));
        }
    }
}
