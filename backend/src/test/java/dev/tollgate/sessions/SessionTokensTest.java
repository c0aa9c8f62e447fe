// Why: a session token is good only as signed and only until its expiry (at the injected clock); altered, forged,
// foreign-version and expired tokens are refused before any lookup, and CSRF values are bound to one session.
package dev.tollgate.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.Settings;
import dev.tollgate.storage.ServerSecret;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionTokensTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static SessionTokens tokens(String secret, Instant now) {
        Settings settings = Settings.fromEnvironment(Map.of("TOLLGATE_SECRET", secret));
        return new SessionTokens(new ServerSecret(settings, null, null), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenNamesItsSessionUntilItExpires() {
        String secret = "s".repeat(40);
        String token = tokens(secret, NOW).sign("ses_1", NOW.plusSeconds(60));
        assertThat(token).startsWith("tg2.ses_1." + NOW.plusSeconds(60).getEpochSecond() + ".");
        assertThat(tokens(secret, NOW.plusSeconds(59)).verify(token)).contains("ses_1");
        assertThat(tokens(secret, NOW.plusSeconds(60)).verify(token)).isEmpty();
    }

    @Test
    void alteredForgedAndForeignTokensAreRefused() {
        String secret = "s".repeat(40);
        SessionTokens t = tokens(secret, NOW);
        String token = t.sign("ses_1", NOW.plusSeconds(60));
        String sig = token.substring(token.lastIndexOf('.') + 1);
        String later = "tg2.ses_1." + NOW.plusSeconds(9999).getEpochSecond() + "." + sig;
        String other = "tg2.ses_2." + NOW.plusSeconds(60).getEpochSecond() + "." + sig;
        for (String bad : new String[] {later, other, token + "x", "tg1.ses_1.99999999999." + sig, "", "no-dots", null,
                "x".repeat(201)}) {
            assertThat(t.verify(bad)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(tokens("t".repeat(40), NOW).verify(token)).as("another deployment's secret").isEmpty();
    }

    @Test
    void csrfValuesAreBoundToOneSession() {
        SessionTokens t = tokens("s".repeat(40), NOW);
        String csrf = t.csrf("ses_1");
        assertThat(t.csrfMatches("ses_1", csrf)).isTrue();
        assertThat(t.csrfMatches("ses_2", csrf)).isFalse();
        assertThat(t.csrfMatches("ses_1", null)).isFalse();
        assertThat(t.csrfMatches("ses_1", csrf.substring(1))).isFalse();
        assertThat(csrf).isNotEqualTo(t.sign("ses_1", NOW.plusSeconds(60)));
    }
}
