// Why: every proxied request authenticates; a warm key must cost one HMAC and one map lookup, never a
// database call. Entries live for a short TTL so revocations and admin changes reach every replica quickly, and a
// busy key is reloaded in the background shortly before its entry expires, so no request waits for that reload.
package dev.tollgate.keys;

import dev.tollgate.config.ProxyProperties;
import dev.tollgate.storage.JsonColumns;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.tenants.TenantRow;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/** Resolves a presented API key to its {@link Caller}, or to nothing for every kind of bad key. */
@Singleton
public class KeyAuthenticator {
    private static final int MAX_ENTRIES = 100_000;

    private final KeyHasher hasher;
    private final KeyRepository keys;
    private final TenantRepository tenants;
    private final ExecutorService blocking;
    private final Clock clock;
    private final long ttlNanos;
    /** Entries older than this (three quarters of the TTL) are reloaded in the background on their next use. */
    private final long refreshAfterNanos;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public KeyAuthenticator(KeyHasher hasher, KeyRepository keys, TenantRepository tenants,
                            @Named(TaskExecutors.BLOCKING) ExecutorService blocking, Clock clock, ProxyProperties props) {
        this.hasher = hasher;
        this.keys = keys;
        this.tenants = tenants;
        this.blocking = blocking;
        this.clock = clock;
        this.ttlNanos = props.getKeyCacheTtl().toNanos();
        this.refreshAfterNanos = ttlNanos * 3 / 4;
    }

    private record Entry(CompletableFuture<Optional<Caller>> caller, long loadedAt, AtomicBoolean refreshing) {
        Entry(long loadedAt) {
            this(new CompletableFuture<>(), loadedAt, new AtomicBoolean());
        }
    }

    public CompletableFuture<Optional<Caller>> authenticate(String presented) {
        if (!ApiKeyFormat.wellFormed(presented)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String hash = hasher.hash(presented);
        long now = System.nanoTime();
        Entry entry = cache.get(hash);
        if (entry == null || now - entry.loadedAt > ttlNanos) {
            if (cache.size() > MAX_ENTRIES) {
                cache.clear();
            }
            Entry fresh = new Entry(now);
            Entry current = entry == null ? cache.putIfAbsent(hash, fresh)
                    : (cache.replace(hash, entry, fresh) ? null : cache.get(hash));
            if (current == null) {
                blocking.execute(() -> load(hash, fresh));
                entry = fresh;
            } else {
                entry = current;
            }
        } else if (now - entry.loadedAt > refreshAfterNanos && entry.caller.isDone()
                && !entry.caller.isCompletedExceptionally() && entry.refreshing.compareAndSet(false, true)) {
            refreshAhead(hash, entry, now);
        }
        return entry.caller.thenApply(c -> c.filter(caller -> !caller.expiredAt(clock.instant())));
    }

    /** Loads the key again while the current entry keeps serving; the new entry replaces it once loaded. */
    private void refreshAhead(String hash, Entry current, long now) {
        Entry next = new Entry(now);
        blocking.execute(() -> {
            load(hash, next);
            next.caller.thenRun(() -> cache.replace(hash, current, next));
        });
    }

    /** Drops a cached key at once (this replica); other replicas drop it when its TTL ends. */
    public void forget(String keyHash) {
        cache.remove(keyHash);
    }

    private void load(String hash, Entry entry) {
        try {
            entry.caller.complete(lookup(hash));
        } catch (RuntimeException e) {
            cache.remove(hash, entry);
            entry.caller.completeExceptionally(e);
        }
    }

    private Optional<Caller> lookup(String hash) {
        Optional<KeyRow> found = keys.findByKeyHash(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        KeyRow key = found.get();
        Instant now = clock.instant();
        if (key.revokedAt() != null && !key.revokedAt().isAfter(now)) {
            return Optional.empty();
        }
        Optional<TenantRow> tenant = tenants.findByIdAndDeletedAtIsNull(key.tenantId());
        if (tenant.isEmpty() || tenant.get().disabled()) {
            return Optional.empty();
        }
        TenantRow t = tenant.get();
        return Optional.of(new Caller(key.id(), key.name(), t.id(), t.name(), JsonColumns.limits(key.limits()),
                JsonColumns.limits(t.limits()), new AllowedModels(JsonColumns.models(key.allowedModels())),
                new AllowedModels(JsonColumns.models(t.allowedModels())), key.expiresAt(), key.logPrompts()));
    }
}
