// Why: bad or unreachable configuration must stop the real jar with exit code 2 and one line naming the
// variable, never a stack trace.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.FreePorts;
import dev.tollgate.support.JarProcess;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartupFailureIT {
    record Outcome(int exit, List<String> stderr, String stdout) {
    }

    static Outcome run(Map<String, String> env) throws Exception {
        Process p = JarProcess.builder(Files.createTempDirectory("tollgate-startup"), FreePorts.next(), FreePorts.next(), env)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("process exits").isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(p.exitValue(), err.lines().toList(), out);
    }

    static void assertOneLine(Outcome o, String expected) {
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.stderr()).containsExactly("tollgate: configuration error: " + expected);
        assertThat(o.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "DATABASE_URL|mysql://db/x|DATABASE_URL: must start with postgres://, postgresql:// or jdbc:postgresql: (got 'mysql://db/x')",
            "TOLLGATE_PORT|abc|TOLLGATE_PORT: must be a port number 0-65535 (got 'abc')",
            "ALLOWED_ORIGINS|https://console.example.com/app|ALLOWED_ORIGINS: 'https://console.example.com/app' is not an origin like https://console.example.com or http://localhost:5173 (scheme, host and optional port; no path, no wildcard)",
            "ALLOWED_ORIGINS|*|ALLOWED_ORIGINS: '*' is not an origin like https://console.example.com or http://localhost:5173 (scheme, host and optional port; no path, no wildcard)",
            "TOLLGATE_ADMIN_MAX_BODY_BYTES|1MB|TOLLGATE_ADMIN_MAX_BODY_BYTES: must be a positive whole number of bytes (got '1MB')",
            "TOLLGATE_TIMEZONE|Nowhere/Land|TOLLGATE_TIMEZONE: is not a known time zone (got 'Nowhere/Land', e.g. Europe/Berlin)",
            "TOLLGATE_LOG_RETENTION_DAYS|0|start-up failed: TOLLGATE_LOG_RETENTION_DAYS: must be a whole number of days between 1 and 3650 (got '0')",
            "TOLLGATE_PROMPT_RETENTION_DAYS|30d|start-up failed: TOLLGATE_PROMPT_RETENTION_DAYS: must be a whole number of days between 1 and 3650 (got '30d')",
            "TOLLGATE_LAST_USED_FLUSH|0s|start-up failed: TOLLGATE_LAST_USED_FLUSH: must be between 1s and 10m (got PT0S)",
            "TOLLGATE_PROXY_IDLE_TIMEOUT|500ms|start-up failed: TOLLGATE_PROXY_IDLE_TIMEOUT: must be at least 1s (got PT0.5S)",
            "TOLLGATE_PROXY_DRAIN_TIMEOUT|2h|start-up failed: TOLLGATE_PROXY_DRAIN_TIMEOUT: must be between 0s and 1h (got PT2H)",
    })
    void badValues(String variable, String value, String expected) throws Exception {
        assertOneLine(run(Map.of(variable, value)), expected);
    }

    @Test
    void unreachableDatabase() throws Exception {
        int closed = FreePorts.next();
        Outcome o = run(Map.of("DATABASE_URL", "postgres://postgres@127.0.0.1:" + closed + "/tollgate"));
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.stderr()).hasSize(1);
        assertThat(o.stderr().get(0)).startsWith("tollgate: configuration error: DATABASE_URL: cannot connect (");
    }

    @Test
    void unreachableRedis() throws Exception {
        int closed = FreePorts.next();
        Outcome o = run(Map.of("REDIS_URL", "redis://127.0.0.1:" + closed + "/0"));
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.stderr()).containsExactly("tollgate: configuration error: REDIS_URL: cannot connect to 127.0.0.1:" + closed
                + " (Connection refused: /127.0.0.1:" + closed + ")");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Outcome o = run(Map.of("TOLLGATE_PORT", Integer.toString(taken.getLocalPort())));
            assertOneLine(o, "TOLLGATE_PORT: cannot listen on 0.0.0.0:" + taken.getLocalPort() + " (Address already in use)");
        }
    }
}
