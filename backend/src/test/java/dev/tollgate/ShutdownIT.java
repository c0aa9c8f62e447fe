// Why: a replica told to stop (SIGTERM) closes its listeners before anything else, so a request that arrives on a new
// connection while it shuts down is refused at connect, and a client or load balancer can try another replica. Before,
// such requests reached a context whose executors were already shut down and were answered 500, with a stack trace in
// the log, for the second or more that the rest of the shutdown took. Then it lets the answers in flight finish, a
// stream included, records them, and closes their connections after them; before, a stream was cut off about two
// seconds after the signal.
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
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShutdownIT {
    /** Stands for "no answer": the connection was refused or closed. */
    private static final int REFUSED = -1;

    /** A replica in production mode on {@code database}, the shared Redis and {@code mock}. */
    private static Replica replica(String database, MockUpstream mock) throws Exception {
        return Replica.start(Map.of("DATABASE_URL", database, "REDIS_URL", ExternalServices.redis(),
                "OLLAMA_URL", mock.baseUrl()));
    }

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
            Replica replica = replica(ExternalServices.freshDatabase(), mock);
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
            assertThat(replica.log()).as("the log of the whole shutdown was read")
                    .anyMatch(l -> l.contains("request log: flushed"))
                    .noneMatch(l -> l.contains("RejectedExecutionException"));
        }
    }

    @Test
    void aStreamInFlightAtShutdownIsFinishedRecordedAndItsConnectionClosedAfterIt() throws Exception {
        int tokens = 30;
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(tokens).delayMs(100))) {
            String database = ExternalServices.freshDatabase();
            Replica replica = replica(database, mock);
            List<String> lines = new ArrayList<>();
            boolean closedAfterTheAnswer;
            long exitMillis;
            try {
                String key = new AdminClient(replica.adminUrl(), TestGateway.PASSWORD).keyWithLimits("null", "null").key();
                try (Socket socket = FromAddress.open(replica.proxyUrl())) {
                    FromAddress.send(socket, "POST", "/api/chat", Map.of("Authorization", "Bearer " + key,
                            "Content-Type", "application/json"), "{\"model\":\"llama3.2\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                    InputStream in = socket.getInputStream();
                    FromAddress.Head head = FromAddress.readHead(in);
                    assertThat(head.version()).isEqualTo("HTTP/1.1");
                    assertThat(head.status()).isEqualTo(200);
                    String chunk = FromAddress.readChunk(in);
                    lines.add(chunk);
                    replica.terminate();
                    long signalled = System.nanoTime();
                    while (!(chunk = FromAddress.readChunk(in)).isEmpty()) {
                        lines.add(chunk);
                    }
                    closedAfterTheAnswer = in.read() == -1;
                    replica.awaitExit(Duration.ofSeconds(60));
                    exitMillis = (System.nanoTime() - signalled) / 1_000_000;
                }
            } finally {
                replica.close();
            }
            String all = String.join("", lines);
            assertThat(all.split("\n")).as("every token and the final object, after the signal too").hasSize(tokens + 1);
            assertThat(all).contains("\"done\":true");
            assertThat(closedAfterTheAnswer).as("the connection closed after the answer").isTrue();
            assertThat(replica.alive()).isFalse();
            assertThat(exitMillis).as("the process ended soon after the answer").isLessThan(20_000);
            assertThat(replica.log()).anyMatch(l -> l.contains("every answer in flight finished and recorded"));
            javax.sql.DataSource jdbc = ExternalServices.migrated(database);
            assertThat(ExternalServices.count(jdbc, "SELECT count(*) FROM request_log WHERE endpoint = '/api/chat'"
                    + " AND completion_tokens = " + tokens)).isEqualTo(1);
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedAtShutdownNeverAnswered500() throws Exception {
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(2).delayMs(0))) {
            Replica replica = replica(ExternalServices.freshDatabase(), mock);
            List<Integer> seen = new ArrayList<>();
            try (Socket socket = FromAddress.open(replica.proxyUrl())) {
                assertThat(readyOn(socket)).isEqualTo(200);
                replica.terminate();
                int status;
                while ((status = readyOn(socket)) != REFUSED) {
                    seen.add(status);
                }
            } finally {
                replica.close();
            }
            assertThat(seen).as("answered on the kept-alive connection before the signal took effect").allMatch(s -> s == 200);
            assertThat(replica.log()).as("the log of the whole shutdown was read")
                    .anyMatch(l -> l.contains("every answer in flight finished and recorded"))
                    .noneMatch(l -> l.contains("RejectedExecutionException"));
        }
    }

    /** GET /health/ready on a kept-alive connection: its status, or {@link #REFUSED} once the connection is closed. */
    private static int readyOn(Socket socket) {
        try {
            FromAddress.send(socket, "GET", "/health/ready", Map.of(), null);
            InputStream in = socket.getInputStream();
            FromAddress.Head head = FromAddress.readHead(in);
            in.readNBytes(Integer.parseInt(head.headers().getOrDefault("content-length", "0")));
            return head.status();
        } catch (IOException e) {
            return REFUSED;
        }
    }
}
