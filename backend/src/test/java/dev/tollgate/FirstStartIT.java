// Why: the first start of a fresh installation creates the super-admin 'admin' and prints a generated
// password exactly once; a restart on the same data prints nothing and the password keeps working.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.FreePorts;
import dev.tollgate.support.JarProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FirstStartIT {
    private static final Pattern PASSWORD = Pattern.compile("created super-admin 'admin' with password: (\\S+)");

    private record Started(Process process, List<String> lines, int adminPort) {
    }

    /** Starts the jar and reads its output until the admin listener answers. */
    private static Started start(Path dataDir) throws Exception {
        int port = FreePorts.next();
        int adminPort = FreePorts.next();
        Process p = JarProcess.builder(dataDir, port, adminPort, Map.of()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> out.lines().forEach(l -> {
            synchronized (lines) {
                lines.add(l);
            }
        }));
        reader.setDaemon(true);
        reader.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/api/tenants")).build(),
                        HttpResponse.BodyHandlers.discarding());
                break;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new AssertionError("gateway did not start: " + lines);
                }
                Thread.sleep(100);
            }
        }
        return new Started(p, lines, adminPort);
    }

    private static int login(int adminPort, String password) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/api/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void generatedPasswordIsPrintedOnceAndWorks() throws Exception {
        Path dataDir = Files.createTempDirectory("tollgate-first");
        Started first = start(dataDir);
        String password;
        synchronized (first.lines()) {
            List<String> matches = first.lines().stream().filter(l -> PASSWORD.matcher(l).find()).toList();
            assertThat(matches).hasSize(1);
            Matcher m = PASSWORD.matcher(matches.get(0));
            assertThat(m.find()).isTrue();
            password = m.group(1);
            assertThat(first.lines()).anyMatch(l -> l.contains("single replica"));
        }
        assertThat(password).hasSize(24);
        assertThat(login(first.adminPort(), password)).isEqualTo(200);
        stop(first.process());

        Started second = start(dataDir);
        assertThat(login(second.adminPort(), password)).isEqualTo(200);
        assertThat(login(second.adminPort(), "wrong-" + password)).isEqualTo(401);
        synchronized (second.lines()) {
            assertThat(second.lines()).noneMatch(l -> l.contains("password:"));
        }
        stop(second.process());
    }
}
