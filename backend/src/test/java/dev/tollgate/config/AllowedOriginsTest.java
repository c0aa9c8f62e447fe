// Why: ALLOWED_ORIGINS is matched exactly against browsers' Origin headers, so its parsing (canonical form,
// refusals naming the variable) and the admin body limit's bounds are pinned here.
package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {
    @Test
    void originsAreKeptInTheFormBrowsersSend() {
        assertThat(AllowedOrigins.parse("")).isEmpty();
        assertThat(AllowedOrigins.parse(" HTTPS://Console.Example.com:443 , http://localhost:5173,,http://[::1]:8081,"))
                .containsExactly("https://console.example.com", "http://localhost:5173", "http://[::1]:8081");
        assertThat(AllowedOrigins.parse("http://a.example:80,http://a.example")).containsExactly("http://a.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "null", "console.example.com", "https://console.example.com/", "https://x.example/app",
            "ftp://x.example", "https://user@x.example", "https://x.example:0", "https://x.example:99999", "https://*.example.com",
            "https://x.example?q=1"})
    void anythingButAnOriginStopsStartUpNamingTheVariable(String bad) {
        assertThatThrownBy(() -> AllowedOrigins.parse("https://ok.example," + bad))
                .isInstanceOf(StartupException.class).hasMessageStartingWith("ALLOWED_ORIGINS: ");
    }

    @Test
    void adminBodyLimitDefaultsToOneMebibyteWithinTheServerLimit() {
        assertThat(Settings.fromEnvironment(Map.of()).adminMaxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(Settings.fromEnvironment(Map.of("TOLLGATE_MAX_BODY_BYTES", "1000")).adminMaxBodyBytes()).isEqualTo(1000);
        assertThat(Settings.fromEnvironment(Map.of("TOLLGATE_ADMIN_MAX_BODY_BYTES", "2048")).adminMaxBodyBytes()).isEqualTo(2048);
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("TOLLGATE_MAX_BODY_BYTES", "1000", "TOLLGATE_ADMIN_MAX_BODY_BYTES", "1001")))
                .hasMessage("TOLLGATE_ADMIN_MAX_BODY_BYTES: must not exceed TOLLGATE_MAX_BODY_BYTES (1000), the limit of the whole server (got '1001')");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("TOLLGATE_ADMIN_MAX_BODY_BYTES", "0")))
                .hasMessageStartingWith("TOLLGATE_ADMIN_MAX_BODY_BYTES: must be a positive whole number");
    }
}
