// Why: issue 4's promise that the request log loses nothing: with Postgres stopped for 20 seconds under load, warm
// keys keep being served, their rows wait in the buffer and are written once the database is back, each exactly
// once; a replica whose buffer fills refuses new calls with 503 instead of serving them unrecorded; and a graceful
// shutdown writes what is buffered. The test owns its Postgres server so it can stop and restart it.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminClient.NewKey;
import dev.tollgate.support.Await;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.FreePorts;
import dev.tollgate.support.Replica;
import dev.tollgate.support.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DatabaseOutageIT {
    private static final String CHAT = "{\"model\":\"llama3.2\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Answer(int status, String requestId, String retryAfter, String body) {
    }

    private Answer call(Replica replica, String key) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(replica.proxyUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("x-request-id").orElse(null),
                    r.headers().firstValue("retry-after").orElse(null), r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> ready(Replica replica) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(replica.proxyUrl() + "/health/ready")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static EmbeddedPostgres postgres(Path dir, int port) throws Exception {
        return postgres(dir.resolve("data"), dir.resolve("bin"), port);
    }

    private static EmbeddedPostgres postgres(Path data, Path binaries, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile()).setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60)).setServerConfig("listen_addresses", "127.0.0.1")
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD).setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static long count(String jdbcUrl, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twentySecondsWithoutPostgresUnderLoadLoseNothingAndCountNothingTwice() throws Exception {
        Path dir = Files.createTempDirectory("tollgate-outage-pg");
        Files.createDirectories(dir.resolve("bin"));
        int port = FreePorts.next();
        EmbeddedPostgres pg = postgres(dir, port);
        String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(2).delayMs(0))) {
            Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", "postgres://postgres@127.0.0.1:" + port + "/postgres",
                    "REDIS_URL", ExternalServices.redis(), "OLLAMA_URL", mock.baseUrl()));
            Map<String, String> small = new HashMap<>(env);
            small.put("TOLLGATE_USAGE_BUFFER", "5");
            try (Replica a = Replica.start(env); Replica b = Replica.start(small)) {
                NewKey k = new AdminClient(a.adminUrl(), TestGateway.PASSWORD).keyWithLimits("null", "null");
                Map<String, Answer> served = new ConcurrentHashMap<>();
                for (Replica r : List.of(a, b)) {
                    Answer warm = call(r, k.key());
                    assertThat(warm.status()).isEqualTo(200);
                    served.put(warm.requestId(), warm);
                }
                Await.until("warm-up rows written", Duration.ofSeconds(10),
                        () -> count(jdbc, "SELECT count(*) FROM request_log") == 2);

                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> load = new ArrayList<>();
                List<Answer> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < 4; t++) {
                    Thread thread = new Thread(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        while (!stop.get()) {
                            Answer answer = call(a, k.key());
                            if (answer.status() == 200) {
                                served.put(answer.requestId(), answer);
                            } else {
                                failures.add(answer);
                            }
                        }
                    });
                    thread.start();
                    load.add(thread);
                }
                start.countDown();
                Await.until("load running", Duration.ofSeconds(10), () -> served.size() > 50);

                pg.close(); // Postgres is down
                long down = System.nanoTime();
                int servedAtStop = served.size();

                // the replica with room for 5 rows serves 5 more calls, then refuses rather than serve unrecorded
                List<Answer> fromB = new ArrayList<>();
                Answer last;
                do {
                    last = call(b, k.key());
                    fromB.add(last);
                } while (last.status() == 200 && fromB.size() < 50);
                assertThat(fromB).hasSize(6);
                fromB.subList(0, 5).forEach(x -> served.put(x.requestId(), x));
                assertThat(last.status()).isEqualTo(503);
                assertThat(last.retryAfter()).isEqualTo("5");
                assertThat(last.body()).contains("\"type\":\"api_error\"").contains("cannot record usage");
                HttpResponse<String> readyA = ready(a);
                assertThat(readyA.statusCode()).as(readyA.body()).isEqualTo(200);
                assertThat(readyA.body()).contains("\"database\":\"degraded\"");
                HttpResponse<String> readyB = ready(b);
                assertThat(readyB.statusCode()).as(readyB.body()).isEqualTo(503);
                assertThat(readyB.body()).contains("\"usage_log\":\"unavailable\"").contains("\"usage_log_pending\":5");

                Await.until("20 s of outage", Duration.ofSeconds(30),
                        () -> System.nanoTime() - down >= TimeUnit.SECONDS.toNanos(20));
                int servedDuringOutage = served.size() - servedAtStop;
                pg = postgres(dir, port); // and back
                Await.until("load after the restart", Duration.ofSeconds(30), () -> served.size() > servedAtStop + servedDuringOutage + 50);
                stop.set(true);
                for (Thread t : load) {
                    t.join();
                }
                System.out.printf("database outage: %d calls served before, %d during the 20 s outage, %d in all; failures %s%n",
                        servedAtStop, servedDuringOutage, served.size(), failures);
                assertThat(failures).as("warm keys are served throughout").isEmpty();
                assertThat(servedDuringOutage).isGreaterThan(100);

                Await.until("every served call written", Duration.ofSeconds(60),
                        () -> count(jdbc, "SELECT count(*) FROM request_log") == served.size());
                String ids = "'" + String.join("','", served.keySet()) + "'";
                assertThat(count(jdbc, "SELECT count(DISTINCT request_id) FROM request_log WHERE request_id IN (" + ids + ")"))
                        .isEqualTo(served.size());
                assertThat(count(jdbc, "SELECT coalesce(sum(requests), 0) FROM usage_daily")).isEqualTo(served.size());
                assertThat(count(jdbc, "SELECT coalesce(sum(completion_tokens), 0) FROM usage_daily")).isEqualTo(2L * served.size());
                assertThat(a.log()).anyMatch(l -> l.contains("request log: cannot write to the database"));
                assertThat(a.log()).anyMatch(l -> l.contains("request log: database reachable again"));
            }
        } finally {
            pg.close();
        }
    }

    @Test
    void aGracefulShutdownWritesWhatIsBuffered() throws Exception {
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(2).delayMs(0))) {
            String database = ExternalServices.freshDatabase();
            Replica replica = Replica.start(Map.of("DATABASE_URL", database, "REDIS_URL", ExternalServices.redis(),
                    "OLLAMA_URL", mock.baseUrl(), "TOLLGATE_USAGE_FLUSH_INTERVAL", "1h", "TOLLGATE_USAGE_BATCH", "10000"));
            String jdbc = dev.tollgate.config.DatabaseUrl.parse(database).jdbcUrl();
            try {
                NewKey k = new AdminClient(replica.adminUrl(), TestGateway.PASSWORD).keyWithLimits("null", "null");
                for (int i = 0; i < 30; i++) {
                    assertThat(call(replica, k.key()).status()).isEqualTo(200);
                }
                assertThat(count(jdbc, "SELECT count(*) FROM request_log")).as("held in the buffer").isZero();
            } finally {
                replica.close(); // SIGTERM
            }
            assertThat(count(jdbc, "SELECT count(*) FROM request_log")).isEqualTo(30);
            assertThat(count(jdbc, "SELECT sum(requests) FROM usage_daily")).isEqualTo(30);
        }
    }

    /**
     * Embedded mode: the database is the gateway's own, and a SIGTERM must not stop it before the buffered rows are
     * written (the embedded Postgres library registers a shutdown hook of its own, which the JVM runs alongside ours).
     */
    @Test
    void aGracefulShutdownInEmbeddedModeWritesWhatIsBufferedBeforeItsDatabaseStops() throws Exception {
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(2).delayMs(0))) {
            Path data = Files.createTempDirectory("tollgate-embedded-shutdown");
            Replica replica = Replica.start(Map.of("TOLLGATE_DATA_DIR", data.toString(), "OLLAMA_URL", mock.baseUrl(),
                    "TOLLGATE_USAGE_FLUSH_INTERVAL", "1h", "TOLLGATE_USAGE_BATCH", "10000"));
            long stopping;
            try {
                NewKey k = new AdminClient(replica.adminUrl(), TestGateway.PASSWORD).keyWithLimits("null", "null");
                for (int i = 0; i < 30; i++) {
                    assertThat(call(replica, k.key()).status()).isEqualTo(200);
                }
            } finally {
                stopping = System.nanoTime();
                replica.close(); // SIGTERM
            }
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            assertThat(replica.log()).as("the log of the whole shutdown was read")
                    .anyMatch(l -> l.contains("request log: flushed"))
                    .noneMatch(l -> l.contains("could not be written before shutdown"));
            assertThat(stopMillis).as("stopped without waiting for an unreachable database").isLessThan(20_000);
            int port = FreePorts.next();
            EmbeddedPostgres pg = postgres(data.resolve("postgres"), data.resolve("postgres-bin"), port); // the gateway's own
            try {
                String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
                assertThat(count(jdbc, "SELECT count(*) FROM request_log")).isEqualTo(30);
                assertThat(count(jdbc, "SELECT sum(requests) FROM usage_daily")).isEqualTo(30);
            } finally {
                pg.close();
            }
        }
    }
}
