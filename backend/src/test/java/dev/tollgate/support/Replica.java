// Why: multi-replica tests start several gateway processes from the built jar on the same Postgres and Redis, the
// way they run in production, and need to wait for them, read their logs, and kill them (gracefully or with -9).
package dev.tollgate.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public final class Replica implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int adminPort;
    private final List<String> lines = new ArrayList<>();
    private final Thread output;

    private Replica(Process process, int port, int adminPort) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.output = OutputLines.collect(process, lines, "replica-log-" + port);
    }

    /** Starts {@code java -jar target/tollgate.jar} with {@code env} and waits until it is ready. */
    public static Replica start(Map<String, String> env) throws Exception {
        int port = FreePorts.next();
        int adminPort = FreePorts.next();
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("TOLLGATE_ADMIN_PASSWORD", TestGateway.PASSWORD);
        all.put("TOLLGATE_HOST", "127.0.0.1");
        Process p = JarProcess.builder(Files.createTempDirectory("tollgate-replica"), port, adminPort, all)
                .redirectErrorStream(true).start();
        Replica replica = new Replica(p, port, adminPort);
        replica.awaitReady(Duration.ofSeconds(90));
        return replica;
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(proxyUrl() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new AssertionError("replica did not become ready: " + log());
            }
            Thread.sleep(100);
        }
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    /** Everything the process printed so far. */
    public List<String> log() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits until a printed line contains {@code text}; false on timeout. */
    public boolean awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(l -> l.contains(text))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                lines.wait(left);
            }
            return true;
        }
    }

    /**
     * SIGTERM, without waiting for the process to end (see {@link #alive()}). Through the process handle:
     * {@code Process.destroy()} would also close the process's output, and what it logs while it stops would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the process to end, at most for {@code timeout}; true when it has. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no settlement, nothing flushed. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the process to end (SIGKILL after 30 s) and for the rest of its output. */
    @Override
    public void close() {
        try {
            if (!JarProcess.terminate(process, output, Duration.ofSeconds(30))) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
