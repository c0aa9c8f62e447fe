// Why: how long an admin session lives, typed and checked at start-up so a bad value stops the gateway naming
// the variable (TOLLGATE_SESSION_TTL → tollgate.session.ttl).
package dev.tollgate.sessions;

import dev.tollgate.config.StartupException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import java.time.Duration;

@Context
@ConfigurationProperties("tollgate.session")
public class SessionProperties {
    static final Duration MIN = Duration.ofMinutes(5);
    static final Duration MAX = Duration.ofDays(30);
    /** Lifetime of an admin session (token and cookie) from login. Env: TOLLGATE_SESSION_TTL. */
    private Duration ttl = Duration.ofHours(12);

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        if (ttl == null || ttl.compareTo(MIN) < 0 || ttl.compareTo(MAX) > 0) {
            throw new StartupException("TOLLGATE_SESSION_TTL: must be between 5m and 30d (got " + ttl + ")");
        }
        this.ttl = ttl;
    }
}
