// Why: every proxied request authenticates; a warm key must cost one HMAC and one map lookup, never a
// database call. Entries live for a short TTL so revocations and admin changes reach every replica quickly, and a
// busy key is reloaded in the background shortly before its entry expires, so no request waits for that reload.
// When the database cannot be read, a key that was valid keeps being served from its last good entry for a
// bounded time (STALE_MAX), so a database outage does not take the proxy down with it.
// Key events (KeyEvents: Redis pub/sub between replicas) drop a changed key or every key of a changed tenant at
// once, so the TTL is only the safety net. A key is served until min(expires_at, revoked_at), to the second, even
// from the cache (a rotated-out key's revoked_at lies in the future until its grace ends).
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
    private final LastUsedTracker lastUsed;

    public KeyAuthenticator(KeyHasher hasher, KeyRepository keys, TenantRepository tenants,
                            @Named(TaskExecutors.BLOCKING) ExecutorService blocking, Clock clock, ProxyProperties props,
                            KeyEvents events, LastUsedTracker lastUsed) {
        this.hasher = hasher;
        this.keys = keys;
        this.tenants = tenants;
        this.blocking = blocking;
        this.clock = clock;
        this.ttlNanos = props.getKeyCacheTtl().toNanos();
        this.refreshAfterNanos = ttlNanos * 3 / 4;
        this.lastUsed = lastUsed;
        events.subscribe(this::apply);
    }

    /** A cache entry; {@code verifiedAt}: when the database last confirmed it (older when served stale). */
    private static final class Entry {
        final CompletableFuture<Optional<Caller>> caller = new CompletableFuture<>();
        final long loadedAt;
        final AtomicBoolean refreshing = new AtomicBoolean();
        volatile long verifiedAt;
        /** The key's tenant once loaded (also for a refused key, so re-enabling its tenant drops it too). */
        volatile String tenantId;
        /** Set when an event drops the entry: it must never again be served, not even as a stale fallback. */
        volatile boolean dropped;

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

    /** The entry's caller unless its effective expiry has passed; a served key is noted as used now. */
    private CompletableFuture<Optional<Caller>> unexpired(Entry entry) {
        return entry.caller.thenApply(c -> {
            Instant now = clock.instant();
            Optional<Caller> valid = c.filter(caller -> !caller.expiredAt(now));
            valid.ifPresent(caller -> lastUsed.used(caller.keyId(), now));
            return valid;
        });
    }

    /** Loads the key again while the current entry keeps serving; the new entry replaces it once loaded. */
    private void refreshAhead(String hash, Entry current, long now) {
        Entry next = new Entry(now);
        blocking.execute(() -> {
            load(hash, next, current);
            next.caller.thenRun(() -> cache.replace(hash, current, next));
        });
    }

    /** Drops a cached key at once (this replica only; {@link KeyChanges} reaches every replica). */
    public void forget(String keyHash) {
        Entry gone = cache.remove(keyHash);
        if (gone != null) {
            gone.dropped = true;
        }
    }

    /** Applies a key event: drops the key, or every key of the tenant (and every load still under way). */
    void apply(KeyEvent event) {
        if (event.kind() == KeyEvent.Kind.KEY) {
            forget(event.id());
            return;
        }
        cache.entrySet().removeIf(e -> {
            Entry entry = e.getValue();
            boolean drop = !entry.caller.isDone() || event.id().equals(entry.tenantId);
            if (drop) {
                entry.dropped = true;
            }
            return drop;
        });
    }

    /** Looks the key up for {@code entry}; if the database fails, serves {@code previous} while it is young enough. */
    private void load(String hash, Entry entry, Entry previous) {
        try {
            entry.caller.complete(lookup(hash, entry));
        } catch (RuntimeException e) {
            if (previous != null && previous.good() && !previous.dropped
                    && System.nanoTime() - previous.verifiedAt < STALE_MAX.toNanos()) {
                entry.verifiedAt = previous.verifiedAt;
                entry.tenantId = previous.tenantId;
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

    /** Reads the key and its tenant; notes the tenant on {@code entry} (before completing it) for tenant events. */
    private Optional<Caller> lookup(String hash, Entry entry) {
        Optional<KeyRow> found = keys.findByKeyHash(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        KeyRow key = found.get();
        entry.tenantId = key.tenantId();
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
                new AllowedModels(JsonColumns.models(t.allowedModels())), effectiveExpiry(key), key.logPrompts()));
    }

    /** The first of expires_at and a future revoked_at (the end of a rotation's grace); null when neither is set. */
    static Instant effectiveExpiry(KeyRow key) {
        if (key.revokedAt() == null) {
            return key.expiresAt();
        }
        return key.expiresAt() == null || key.revokedAt().isBefore(key.expiresAt()) ? key.revokedAt() : key.expiresAt();
    }
}
