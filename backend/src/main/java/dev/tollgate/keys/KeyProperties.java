// Why: how often the last-use times of keys are written, typed and checked at start-up so a bad value stops the
// gateway naming the variable. The name follows the variable (TOLLGATE_LAST_USED_FLUSH → tollgate.last-used-flush).
package dev.tollgate.keys;

import dev.tollgate.config.StartupException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import java.time.Duration;

@Context
@ConfigurationProperties("tollgate")
public class KeyProperties {
    static final Duration MIN_FLUSH = Duration.ofSeconds(1);
    static final Duration MAX_FLUSH = Duration.ofMinutes(10);
    /** Pause between two writes of the keys' last-use times. Env: TOLLGATE_LAST_USED_FLUSH. */
    private Duration lastUsedFlush = Duration.ofSeconds(10);

    public Duration lastUsedFlush() {
        return lastUsedFlush;
    }

    public void setLastUsedFlush(Duration interval) {
        if (interval == null || interval.compareTo(MIN_FLUSH) < 0 || interval.compareTo(MAX_FLUSH) > 0) {
            throw new StartupException("TOLLGATE_LAST_USED_FLUSH: must be between 1s and 10m (got " + interval + ")");
        }
        this.lastUsedFlush = interval;
    }
}
