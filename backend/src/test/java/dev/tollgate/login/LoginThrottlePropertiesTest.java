// Why: bad throttle and session settings must stop start-up naming the variable, and the defaults are the
// documented ones.
package dev.tollgate.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.StartupException;
import dev.tollgate.sessions.SessionProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottlePropertiesTest {
    @Test
    void defaultsAreFivePerUsernameAndTwentyPerAddressIn15Minutes() {
        assertThat(new LoginThrottleProperties().limits()).isEqualTo(new LoginThrottle.Limits(5, 20, Duration.ofMinutes(15)));
        assertThat(new SessionProperties().getTtl()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void badValuesNameTheirVariable() {
        LoginThrottleProperties p = new LoginThrottleProperties();
        for (String bad : new String[] {"0", "-1", "ten", "", "1000001"}) {
            assertThatThrownBy(() -> p.setUsernameAttempts(bad)).isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("TOLLGATE_LOGIN_USERNAME_ATTEMPTS:");
            assertThatThrownBy(() -> p.setAddressAttempts(bad)).hasMessageStartingWith("TOLLGATE_LOGIN_ADDRESS_ATTEMPTS:");
        }
        assertThatThrownBy(() -> p.setWindow(Duration.ZERO)).hasMessageStartingWith("TOLLGATE_LOGIN_WINDOW:");
        assertThatThrownBy(() -> p.setWindow(Duration.ofDays(2))).hasMessageStartingWith("TOLLGATE_LOGIN_WINDOW:");
        p.setUsernameAttempts(" 3 ");
        p.setAddressAttempts("7");
        p.setWindow(Duration.ofMinutes(1));
        assertThat(p.limits()).isEqualTo(new LoginThrottle.Limits(3, 7, Duration.ofMinutes(1)));

        SessionProperties s = new SessionProperties();
        for (Duration bad : new Duration[] {Duration.ofMinutes(4), Duration.ofDays(31), null}) {
            assertThatThrownBy(() -> s.setTtl(bad)).isInstanceOf(StartupException.class).hasMessageStartingWith("TOLLGATE_SESSION_TTL:");
        }
        s.setTtl(Duration.ofMinutes(30));
        assertThat(s.getTtl()).isEqualTo(Duration.ofMinutes(30));
    }
}
