// Why: the jar-level tests start the built jar the way an operator does, with a clean environment (no
// storage or Tollgate variables inherited from CI) and their own data directory and ports.
package dev.tollgate.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public final class JarProcess {
    private JarProcess() {
    }

    /** A process builder for {@code java -jar target/tollgate.jar} with only the given Tollgate variables set. */
    public static ProcessBuilder builder(Path dataDir, int port, int adminPort, Map<String, String> env) {
        return builder(testJava(), dataDir, port, adminPort, env);
    }

    /** The same, run by the {@code java} executable given. */
    public static ProcessBuilder builder(Path java, Path dataDir, int port, int adminPort, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-jar", new File("target/tollgate.jar").getAbsolutePath());
        pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_") || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        pb.environment().put("TOLLGATE_DATA_DIR", dataDir.toString());
        pb.environment().put("TOLLGATE_PORT", Integer.toString(port));
        pb.environment().put("TOLLGATE_ADMIN_PORT", Integer.toString(adminPort));
        pb.environment().putAll(env);
        return pb;
    }

    /** A started jar: its process, every line it printed so far (stdout and stderr; guard with the list), its admin port. */
    public record Started(Process process, List<String> lines, Thread output, int adminPort) {
        /** The status of an admin login as {@code admin} with {@code password}. */
        public int login(String password) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + adminPort + "/admin/api/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        /** SIGTERM; waits for the gateway to end and for the rest of its output (see {@link #terminate}). */
        public void stop() throws InterruptedException {
            if (!terminate(process, output, Duration.ofSeconds(60))) {
                throw new AssertionError("gateway did not stop within 60 s");
            }
        }
    }

    /** Starts the jar in embedded mode with {@code java} and reads its output until the admin listener answers. */
    public static Started start(Path java, Path dataDir) throws Exception {
        int adminPort = FreePorts.next();
        Process p = builder(java, dataDir, FreePorts.next(), adminPort, Map.of()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread output = OutputLines.collect(p, lines, "jar-log-" + adminPort);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/api/tenants")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return new Started(p, lines, output, adminPort);
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    synchronized (lines) {
                        throw new AssertionError("gateway did not start: " + lines);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * SIGTERM through the process handle ({@code Process.destroy()} would also close the process's output at once, and
     * what the gateway logs while it stops would be lost), then waits up to {@code timeout} for it to end and for
     * {@code output} (from {@link OutputLines#collect}) to read the rest; false when it did not end in time.
     */
    static boolean terminate(Process process, Thread output, Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        output.join(TimeUnit.SECONDS.toMillis(10));
        return true;
    }

    /** The {@code java} executable running the tests. */
    private static Path testJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Starts the jar with the Java running the tests. */
    public static Started start(Path dataDir) throws Exception {
        return start(testJava(), dataDir);
    }
}
