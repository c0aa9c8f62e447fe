// Why: tuning of the limit engine, typed and validated at start-up: how long a concurrency lease lives (how soon
// the slots of a killed replica free themselves) and how long an admission may wait for the limit state.
package dev.tollgate.limits;

import dev.tollgate.config.StartupException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import java.time.Duration;

@Context
@ConfigurationProperties("tollgate.limits")
public class LimitProperties {
    /** Lifetime of a concurrency lease; running requests renew it every third of it. Env: TOLLGATE_LIMITS_LEASE. */
    private Duration lease = Duration.ofSeconds(30);
    /** The longest an admission waits for the limit state before fail mode decides. Env: TOLLGATE_LIMITS_TIMEOUT. */
    private Duration timeout = Duration.ofMillis(250);

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        if (lease == null || lease.compareTo(Duration.ofSeconds(3)) < 0 || lease.compareTo(Duration.ofHours(1)) > 0) {
            throw new StartupException("TOLLGATE_LIMITS_LEASE: must be between 3s and 1h (got " + lease + ")");
        }
        this.lease = lease;
    }

    /** How often a running request renews its lease. */
    public Duration renewEvery() {
        return lease.dividedBy(3);
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        if (timeout == null || timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new StartupException("TOLLGATE_LIMITS_TIMEOUT: must be between 10ms and 5s (got " + timeout + ")");
        }
        this.timeout = timeout;
    }
}
