// Why: how many failed logins a username and a client address get per window, typed and checked at start-up
// (TOLLGATE_LOGIN_USERNAME_ATTEMPTS → tollgate.login.username-attempts, and so on).
package dev.tollgate.login;

import dev.tollgate.config.StartupException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import java.time.Duration;

@Context
@ConfigurationProperties("tollgate.login")
public class LoginThrottleProperties {
    /** Failed logins per username per window. Env: TOLLGATE_LOGIN_USERNAME_ATTEMPTS. */
    private int usernameAttempts = 5;
    /** Failed logins per client address per window. Env: TOLLGATE_LOGIN_ADDRESS_ATTEMPTS. */
    private int addressAttempts = 20;
    /** The window, from a subject's first failure. Env: TOLLGATE_LOGIN_WINDOW. */
    private Duration window = Duration.ofMinutes(15);

    public LoginThrottle.Limits limits() {
        return new LoginThrottle.Limits(usernameAttempts, addressAttempts, window);
    }

    /** Text, so a value that is no number is refused naming the variable. */
    public void setUsernameAttempts(String attempts) {
        this.usernameAttempts = whole(attempts, "TOLLGATE_LOGIN_USERNAME_ATTEMPTS");
    }

    public void setAddressAttempts(String attempts) {
        this.addressAttempts = whole(attempts, "TOLLGATE_LOGIN_ADDRESS_ATTEMPTS");
    }

    public void setWindow(Duration window) {
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new StartupException("TOLLGATE_LOGIN_WINDOW: must be between 1s and 1d (got " + window + ")");
        }
        this.window = window;
    }

    private static int whole(String value, String variable) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= 1 && n <= 1_000_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(variable + ": must be a whole number of attempts between 1 and 1000000 (got '" + value + "')");
    }
}
