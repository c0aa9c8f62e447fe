// Why: every configuration mistake must stop start-up with a line that names the variable.
package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsFollowTheContract() {
        Settings s = Settings.fromEnvironment(Map.of());
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.adminPort()).isEqualTo(8081);
        assertThat(s.adminHost()).isEqualTo("127.0.0.1");
        assertThat(s.embedded()).isTrue();
        assertThat(s.redisUrl()).isNull();
        assertThat(s.ollamaUrl().toString()).isEqualTo("http://localhost:11434");
        assertThat(s.timezone().getId()).isEqualTo("UTC");
        assertThat(s.failMode()).isEqualTo(Settings.FailMode.CLOSED);
        assertThat(s.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(s.defaultMaxTokens()).isEqualTo(4096);
        assertThat(s.dataDir().toString()).endsWith("data");
        assertThat(s.alertWebhookUrl()).isNull();
        assertThat(s.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(Settings.fromEnvironment(Map.of("TOLLGATE_EVENT_LOOPS", "3")).eventLoops()).isEqualTo(3);
    }

    @Test
    void alertWebhookUrlIsReadWhenSet() {
        Settings s = Settings.fromEnvironment(Map.of("TOLLGATE_ALERT_WEBHOOK_URL", " https://hooks.example.com/tollgate?x=1 "));
        assertThat(s.alertWebhookUrl().toString()).isEqualTo("https://hooks.example.com/tollgate?x=1");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "TOLLGATE_PORT|eighty|TOLLGATE_PORT: must be a port number 0-65535 (got 'eighty')",
            "TOLLGATE_PORT|70000|TOLLGATE_PORT: must be a port number 0-65535 (got '70000')",
            "TOLLGATE_ADMIN_PORT|8080|TOLLGATE_ADMIN_PORT: must differ from TOLLGATE_PORT (both are 8080)",
            "DATABASE_URL|mysql://db/x|DATABASE_URL: must start with postgres://, postgresql:// or jdbc:postgresql: (got 'mysql://db/x')",
            "DATABASE_URL|postgres://u:secret@db:5432/|DATABASE_URL: names no database (expected postgres://user:pass@host:5432/db)",
            "REDIS_URL|http://cache:6379|REDIS_URL: must be a redis or rediss:// URL with a host (got 'http://cache:6379')",
            "OLLAMA_URL|localhost:11434|OLLAMA_URL: must be a http or https:// URL with a host (got 'localhost:11434')",
            "TOLLGATE_TIMEZONE|Mars/Olympus|TOLLGATE_TIMEZONE: is not a known time zone (got 'Mars/Olympus', e.g. Europe/Berlin)",
            "TOLLGATE_FAIL_MODE|maybe|TOLLGATE_FAIL_MODE: must be 'closed' or 'open' (got 'maybe')",
            "TOLLGATE_MAX_BODY_BYTES|-1|TOLLGATE_MAX_BODY_BYTES: must be a positive whole number of bytes (got '-1')",
            "TOLLGATE_DEFAULT_MAX_TOKENS|0|TOLLGATE_DEFAULT_MAX_TOKENS: must be a positive whole number of tokens (got '0')",
            "TOLLGATE_DEFAULT_MAX_TOKENS|lots|TOLLGATE_DEFAULT_MAX_TOKENS: must be a positive whole number of tokens (got 'lots')",
            "TOLLGATE_EVENT_LOOPS|0|TOLLGATE_EVENT_LOOPS: must be a positive whole number of threads (got '0')",
            "TOLLGATE_EVENT_LOOPS|5000|TOLLGATE_EVENT_LOOPS: must be at most 1024 (got '5000')",
            "TOLLGATE_ADMIN_PASSWORD|short|TOLLGATE_ADMIN_PASSWORD: must have at least 8 characters",
            "TOLLGATE_ALERT_WEBHOOK_URL|hooks.example.com/tollgate|TOLLGATE_ALERT_WEBHOOK_URL: must be a http or https:// URL with a host (got 'hooks.example.com/tollgate')",
            "TOLLGATE_ALERT_WEBHOOK_URL|ftp://hooks.example.com/x|TOLLGATE_ALERT_WEBHOOK_URL: must be a http or https:// URL with a host (got 'ftp://hooks.example.com/x')",
            "TOLLGATE_ALERT_WEBHOOK_URL|https://hooks.example.com/a b|TOLLGATE_ALERT_WEBHOOK_URL: is not a valid URL (got 'https://hooks.example.com/a b')",
    })
    void badValuesNameTheVariable(String variable, String value, String message) {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of(variable, value)))
                .isInstanceOf(StartupException.class)
                .hasMessage(message);
    }

    @Test
    void passwordsInUrlsAreNotEchoed() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("REDIS_URL", "http://:hunter2@cache:6379")))
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "postgres://app:p%40ss@db.internal:6543/tollgate?sslmode=require|jdbc:postgresql://db.internal:6543/tollgate?sslmode=require|app|p@ss",
            "postgresql://app@db/tollgate|jdbc:postgresql://db:5432/tollgate|app|",
            "jdbc:postgresql://db:5432/tollgate?user=x|jdbc:postgresql://db:5432/tollgate?user=x||",
    })
    void databaseUrlsInBothForms(String raw, String jdbc, String user, String password) {
        DatabaseUrl url = DatabaseUrl.parse(raw);
        assertThat(url.jdbcUrl()).isEqualTo(jdbc);
        assertThat(url.username()).isEqualTo(user);
        assertThat(url.password()).isEqualTo(password);
    }
}
