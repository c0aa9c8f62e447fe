// Why: the first start of a fresh installation creates the super-admin 'admin' and prints a generated
// password exactly once; a restart on the same data prints nothing and the password keeps working.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.JarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FirstStartIT {
    private static final Pattern PASSWORD = Pattern.compile("created super-admin 'admin' with password: (\\S+)");

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
        assertThat(first.login(password)).isEqualTo(200);
        first.stop();

        JarProcess.Started second = JarProcess.start(dataDir);
        assertThat(second.login(password)).isEqualTo(200);
        assertThat(second.login("wrong-" + password)).isEqualTo(401);
        synchronized (second.lines()) {
            assertThat(second.lines()).noneMatch(l -> l.contains("password:"));
        }
        second.stop();
    }
}
