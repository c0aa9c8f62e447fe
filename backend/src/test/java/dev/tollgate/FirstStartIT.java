// Why: the first start of a fresh installation creates the super-admin 'admin' and prints a generated
// password exactly once; a restart on the same data prints nothing and the password keeps working.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.JarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FirstStartIT {
    private static final Pattern PASSWORD = Pattern.compile("created super-admin 'admin' with password: (\\S+)");

    private static int login(int adminPort, String password) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/api/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void generatedPasswordIsPrintedOnceAndWorks() throws Exception {
        Path dataDir = Files.createTempDirectory("tollgate-first");
        JarProcess.Started first = JarProcess.start(dataDir);
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
        first.stop();

        JarProcess.Started second = JarProcess.start(dataDir);
        assertThat(login(second.adminPort(), password)).isEqualTo(200);
        assertThat(login(second.adminPort(), "wrong-" + password)).isEqualTo(401);
        synchronized (second.lines()) {
            assertThat(second.lines()).noneMatch(l -> l.contains("password:"));
        }
        second.stop();
    }
}
