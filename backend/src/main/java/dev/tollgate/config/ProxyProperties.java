// Why: tuning of the proxy path, typed and validated at start-up.
package dev.tollgate.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

@Context
@ConfigurationProperties("tollgate.proxy")
public class ProxyProperties {
    /** How long a resolved key stays cached on a replica; bounds how late a revocation can take effect. */
    @NotNull
    private Duration keyCacheTtl = Duration.ofSeconds(2);
    /** How often the model list of each upstream is refreshed. */
    @NotNull
    private Duration modelRefreshInterval = Duration.ofSeconds(30);
    /**
     * How long a client connection (either listener) may stay open with no request in flight and no traffic. A
     * request waiting for its answer keeps its connection open however long the upstream takes.
     * Env: TOLLGATE_PROXY_IDLE_TIMEOUT.
     */
    @NotNull
    private Duration idleTimeout = Duration.ofMinutes(5);
    /**
     * How long a graceful shutdown (SIGTERM) waits for the answers in flight on either listener, streams included,
     * after it has closed the listeners; what is still open then is cut off. Env: TOLLGATE_PROXY_DRAIN_TIMEOUT.
     */
    @NotNull
    private Duration drainTimeout = Duration.ofSeconds(20);

    public Duration getKeyCacheTtl() {
        return keyCacheTtl;
    }

    public void setKeyCacheTtl(Duration keyCacheTtl) {
        if (keyCacheTtl.isNegative() || keyCacheTtl.compareTo(Duration.ofSeconds(2)) > 0) {
            throw new StartupException("tollgate.proxy.key-cache-ttl must be between 0s and 2s (got " + keyCacheTtl + ")");
        }
        this.keyCacheTtl = keyCacheTtl;
    }

    public Duration getModelRefreshInterval() {
        return modelRefreshInterval;
    }

    public void setModelRefreshInterval(Duration modelRefreshInterval) {
        if (modelRefreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new StartupException("tollgate.proxy.model-refresh-interval must be at least 1s");
        }
        this.modelRefreshInterval = modelRefreshInterval;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new StartupException("TOLLGATE_PROXY_IDLE_TIMEOUT: must be at least 1s (got " + idleTimeout + ")");
        }
        this.idleTimeout = idleTimeout;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new StartupException("TOLLGATE_PROXY_DRAIN_TIMEOUT: must be between 0s and 1h (got " + drainTimeout + ")");
        }
        this.drainTimeout = drainTimeout;
    }
}
