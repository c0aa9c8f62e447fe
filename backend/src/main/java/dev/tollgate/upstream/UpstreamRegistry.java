// Why: the proxy needs the enabled upstreams without a database call per request; this keeps them in memory
// and reloads them every second, so an admin change reaches every replica well within the contract's 2 s.
package dev.tollgate.upstream;

import dev.tollgate.config.Settings;
import dev.tollgate.storage.Ids;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Context
public class UpstreamRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRegistry.class);
    private final UpstreamRepository repository;
    private final Settings settings;
    private final Clock clock;
    private volatile List<Upstream> enabled = List.of();

    public UpstreamRegistry(UpstreamRepository repository, Settings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        if (repository.insertDefaultIfNone(Ids.next("ups"), settings.ollamaUrl().toString(), clock.instant()) > 0) {
            LOG.info("Created the default upstream {} from OLLAMA_URL", settings.ollamaUrl());
        }
        reload();
    }

    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void reload() {
        try {
            enabled = repository.enabled().stream().map(Upstream::of).toList();
        } catch (RuntimeException e) {
            LOG.warn("Could not reload upstreams, keeping {} known ones: {}", enabled.size(), e.getMessage());
        }
    }

    public List<Upstream> enabled() {
        return enabled;
    }
}
