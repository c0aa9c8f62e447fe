// Why: /health/ready tells a load balancer whether this replica can serve: database, limit state and at
// least one upstream must answer.
package dev.tollgate.storage;

import dev.tollgate.upstream.Upstream;
import dev.tollgate.upstream.UpstreamClient;
import dev.tollgate.upstream.UpstreamRegistry;
import dev.tollgate.upstream.UpstreamRequest;
import dev.tollgate.config.Settings;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.micronaut.jdbc.DataSourceResolver;
import javax.sql.DataSource;

@Singleton
public class Readiness {
    private final DataSource dataSource;
    private final RedisConnections redis;
    private final UpstreamRegistry upstreams;
    private final UpstreamClient client;
    private final dev.tollgate.usage.BufferedUsageSink usageSink;

    private final boolean failOpen;

    public Readiness(DataSource dataSource, DataSourceResolver resolver, RedisConnections redis, UpstreamRegistry upstreams,
                     UpstreamClient client, Settings settings, dev.tollgate.usage.BufferedUsageSink usageSink) {
        this.usageSink = usageSink;
        this.failOpen = settings.failMode() == Settings.FailMode.OPEN;
        this.dataSource = resolver.resolve(dataSource);
        this.redis = redis;
        this.upstreams = upstreams;
        this.client = client;
    }

    public record Report(boolean ready, Map<String, String> checks) {
    }

    public Report check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("database", database());
        checks.put("limit_state", limitState());
        checks.put("upstream", upstream());
        checks.put("usage_log", usageLog());
        // with fail mode open a replica without its limit state still serves (unenforced), so it stays ready; without
        // its database it serves warm keys and buffers their usage until the buffer is full
        return new Report(checks.values().stream().allMatch(v -> v.equals("ok") || v.equals("degraded")), checks);
    }

    private String database() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? "ok" : "degraded";
        } catch (Exception e) {
            return "degraded";
        }
    }

    /** Full: new calls are refused until the database takes the buffered rows. */
    private String usageLog() {
        return usageSink.pending() >= usageSink.capacity() ? "unavailable" : usageSink.failing() ? "degraded" : "ok";
    }

    private String limitState() {
        return redis.connection().map(c -> {
            try {
                return "PONG".equals(c.async().ping().get(1, TimeUnit.SECONDS)) ? "ok" : down();
            } catch (Exception e) {
                return down();
            }
        }).orElse("ok");
    }

    private String down() {
        return failOpen ? "degraded" : "unavailable";
    }

    private String upstream() {
        for (Upstream u : upstreams.enabled()) {
            String path = u.kind() == Upstream.Kind.OLLAMA ? "/api/version" : "/v1/models";
            try {
                var response = client.send(u, UpstreamRequest.get(path)).get(2, TimeUnit.SECONDS);
                response.discard();
                if (response.status() < 500) {
                    return "ok";
                }
            } catch (Exception ignored) {
                // try the next upstream
            }
        }
        return "unavailable";
    }
}
