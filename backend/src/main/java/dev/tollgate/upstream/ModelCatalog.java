// Why: "model not found" must be answered by the gateway (the same 404 as "not permitted"), and a request
// must go to an upstream that has the model; this keeps each upstream's model list in memory.
package dev.tollgate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.keys.AllowedModels;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** Which models each enabled upstream serves, refreshed periodically and on a miss. */
@Singleton
public class ModelCatalog {
    private static final long MISS_REFRESH_NANOS = 1_000_000_000L;
    private final UpstreamRegistry registry;
    private final UpstreamClient client;
    private final ObjectMapper json;
    private final Map<String, Set<String>> models = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<Void>> refreshing = new AtomicReference<>();
    private volatile long lastRefresh;

    public ModelCatalog(UpstreamRegistry registry, UpstreamClient client, ObjectMapper json) {
        this.registry = registry;
        this.client = client;
        this.json = json;
    }

    /** The upstream to send {@code model} to, or empty when no upstream has it. */
    public CompletableFuture<Optional<Upstream>> resolve(String model) {
        Optional<Upstream> found = lookup(model);
        if (found.isPresent() || System.nanoTime() - lastRefresh < MISS_REFRESH_NANOS) {
            return CompletableFuture.completedFuture(found);
        }
        return refresh().thenApply(v -> lookup(model));
    }

    private Optional<Upstream> lookup(String model) {
        String name = AllowedModels.normalize(model);
        List<Upstream> upstreams = registry.enabled();
        for (Upstream u : upstreams) {
            Set<String> known = models.get(u.id());
            if (known != null && known.contains(name)) {
                return Optional.of(u);
            }
        }
        // an upstream whose list could not be read yet may still have the model: let it answer
        for (Upstream u : upstreams) {
            if (!models.containsKey(u.id())) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    @Scheduled(fixedDelay = "${tollgate.proxy.model-refresh-interval:30s}")
    void scheduledRefresh() {
        refresh();
    }

    /** Reloads every upstream's model list; concurrent callers share one reload. */
    public CompletableFuture<Void> refresh() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = refreshing.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        lastRefresh = System.nanoTime();
        List<Upstream> upstreams = registry.enabled();
        models.keySet().retainAll(upstreams.stream().map(Upstream::id).toList());
        CompletableFuture<?>[] loads = upstreams.stream().map(this::load).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(loads).whenComplete((v, e) -> {
            refreshing.set(null);
            mine.complete(null);
        });
        return mine;
    }

    private CompletableFuture<Void> load(Upstream upstream) {
        String path = upstream.kind() == Upstream.Kind.OLLAMA ? "/api/tags" : "/v1/models";
        return client.send(upstream, UpstreamRequest.get(path))
                .thenCompose(r -> {
                    if (r.status() != 200) {
                        r.discard();
                        return CompletableFuture.completedFuture((byte[]) null);
                    }
                    return r.bodyBytes();
                })
                .thenAccept(body -> {
                    if (body != null) {
                        models.put(upstream.id(), names(upstream.kind(), body));
                    }
                })
                .exceptionally(e -> null);
    }

    private Set<String> names(Upstream.Kind kind, byte[] body) {
        Set<String> out = new HashSet<>();
        try {
            JsonNode root = json.readTree(body);
            JsonNode list = kind == Upstream.Kind.OLLAMA ? root.path("models") : root.path("data");
            for (JsonNode m : list) {
                JsonNode name = kind == Upstream.Kind.OLLAMA ? m.path("name") : m.path("id");
                if (name.isTextual()) {
                    out.add(AllowedModels.normalize(name.asText()));
                }
            }
        } catch (IOException ignored) {
            // an unreadable list is treated as empty until the next refresh
        }
        return out;
    }
}
