// Why: every proxied request authenticates; a warm key must cost one HMAC and one map lookup, never a
// database call. Entries live for a short TTL so revocations and admin changes reach every replica quickly, and a
// busy key is reloaded in the background shortly before its entry expires, so no request waits for that reload.
// When the database cannot be read, a key that was valid keeps being served from its last good entry for a
// bounded time (STALE_MAX), so a database outage does not take the proxy down with it.
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
    /** The longest a key is served from its last good lookup while the database cannot be read. */
    static final java.time.Duration STALE_MAX = java.time.Duration.ofMinutes(15);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeyAuthenticator.class);

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

    /** A cache entry; {@code verifiedAt}: when the database last confirmed it (older when served stale). */
    private static final class Entry {
        final CompletableFuture<Optional<Caller>> caller = new CompletableFuture<>();
        final long loadedAt;
        final AtomicBoolean refreshing = new AtomicBoolean();
        volatile long verifiedAt;

        Entry(long loadedAt) {
            this.loadedAt = loadedAt;
            this.verifiedAt = loadedAt;
        }

        boolean good() {
            return caller.isDone() && !caller.isCompletedExceptionally();
        }
    }

    public CompletableFuture<Optional<Caller>> authenticate(String presented) {
        if (!ApiKeyFormat.wellFormed(presented)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String hash = hasher.hash(presented);
        long now = System.nanoTime();
        Entry entry = cache.get(hash);
        if (entry != null && now - entry.loadedAt > ttlNanos && entry.refreshing.get() && entry.good()
                && now - entry.verifiedAt < STALE_MAX.toNanos()) {
            // its reload is still under way (the database is slow or down): the last good answer keeps serving
            return unexpired(entry);
        }
        if (entry == null || now - entry.loadedAt > ttlNanos) {
            if (cache.size() > MAX_ENTRIES) {
                cache.clear();
            }
            Entry fresh = new Entry(now);
            Entry current = entry == null ? cache.putIfAbsent(hash, fresh)
                    : (cache.replace(hash, entry, fresh) ? null : cache.get(hash));
            if (current == null) {
                Entry previous = entry;
                blocking.execute(() -> load(hash, fresh, previous));
                entry = fresh;
            } else {
                entry = current;
            }
        } else if (now - entry.loadedAt > refreshAfterNanos && entry.good() && entry.refreshing.compareAndSet(false, true)) {
            refreshAhead(hash, entry, now);
        }
        return unexpired(entry);
    }

    private CompletableFuture<Optional<Caller>> unexpired(Entry entry) {
        return entry.caller.thenApply(c -> c.filter(caller -> !caller.expiredAt(clock.instant())));
    }

    /** Loads the key again while the current entry keeps serving; the new entry replaces it once loaded. */
    private void refreshAhead(String hash, Entry current, long now) {
        Entry next = new Entry(now);
        blocking.execute(() -> {
            load(hash, next, current);
            next.caller.thenRun(() -> cache.replace(hash, current, next));
        });
    }

    /** Drops a cached key at once (this replica); other replicas drop it when its TTL ends. */
    public void forget(String keyHash) {
        cache.remove(keyHash);
    }

    /** Looks the key up for {@code entry}; if the database fails, serves {@code previous} while it is young enough. */
    private void load(String hash, Entry entry, Entry previous) {
        try {
            entry.caller.complete(lookup(hash));
        } catch (RuntimeException e) {
            if (previous != null && previous.good() && System.nanoTime() - previous.verifiedAt < STALE_MAX.toNanos()) {
                entry.verifiedAt = previous.verifiedAt;
                if (previous.verifiedAt == previous.loadedAt) {
                    LOG.warn("keys: the database cannot be read ({}); serving cached keys for up to {}",
                            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""),
                            STALE_MAX);
                }
                entry.caller.complete(previous.caller.join());
                return;
            }
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
