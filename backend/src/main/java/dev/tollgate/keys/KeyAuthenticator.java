// Why: every proxied request authenticates; a warm key must cost one HMAC and one map lookup, never a
// database call. Entries live for a short TTL so revocations and admin changes reach every replica quickly. A key
// used in the last KEEP_WARM is reloaded in the background before its entry expires (one batched query for all such
// keys), so neither a busy key nor one a client calls every few seconds ever makes a request wait for the database.
// When the database cannot be read, a key that was valid keeps being served from its last good entry for a
// bounded time (STALE_MAX), so a database outage does not take the proxy down with it.
// Key events (KeyEvents: Redis pub/sub between replicas) drop a changed key or every key of a changed tenant at
// once, so the TTL is only the safety net. A key is served until min(expires_at, revoked_at), to the second, even
// from the cache (a rotated-out key's revoked_at lies in the future until its grace ends).
package dev.tollgate.keys;

import dev.tollgate.config.ProxyProperties;
import dev.tollgate.config.ErrorText;
import dev.tollgate.storage.JsonColumns;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.tenants.TenantRow;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/** Resolves a presented API key to its {@link Caller}, or to nothing for every kind of bad key. */
@Singleton
public class KeyAuthenticator {
    private static final int MAX_ENTRIES = 100_000;
    /** The longest a key is served from its last good lookup while the database cannot be read. */
    static final java.time.Duration STALE_MAX = java.time.Duration.ofMinutes(15);
    /**
     * A key used within this long is kept loaded: reloaded in the background before its entry expires. Costs one
     * batched query per sweep for all such keys, not one per key.
     */
    static final java.time.Duration KEEP_WARM = java.time.Duration.ofMinutes(1);
    /** Keys reloaded per query by the sweep. */
    static final int SWEEP_BATCH = 500;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeyAuthenticator.class);

    private final KeyHasher hasher;
    private final KeyRepository keys;
    private final TenantRepository tenants;
    private final Executor blocking;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    /** Entries older than this (half the TTL) are reloaded by the next sweep if their key was used lately. */
    private final long refreshAfterNanos;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final LastUsedTracker lastUsed;
    /** True from a failed background reload until one succeeds (the scheduler runs one sweep at a time). */
    private volatile boolean sweepFailing;

    @Inject
    public KeyAuthenticator(KeyHasher hasher, KeyRepository keys, TenantRepository tenants,
                            @Named(TaskExecutors.BLOCKING) ExecutorService blocking, Clock clock, ProxyProperties props,
                            KeyEvents events, LastUsedTracker lastUsed) {
        this(hasher, keys, tenants, blocking, clock, System::nanoTime, props, events, lastUsed);
    }

    /** As above, with the monotonic clock that ages cache entries. */
    KeyAuthenticator(KeyHasher hasher, KeyRepository keys, TenantRepository tenants, Executor blocking,
                     Clock clock, LongSupplier nanoTime, ProxyProperties props, KeyEvents events,
                     LastUsedTracker lastUsed) {
        this.nanoTime = nanoTime;
        this.hasher = hasher;
        this.keys = keys;
        this.tenants = tenants;
        this.blocking = blocking;
        this.clock = clock;
        this.ttlNanos = props.getKeyCacheTtl().toNanos();
        this.refreshAfterNanos = ttlNanos / 2;
        this.lastUsed = lastUsed;
        events.subscribe(this::apply);
    }

    /** A cache entry; {@code verifiedAt}: when the database last confirmed it (older when served stale). */
    private static final class Entry {
        final CompletableFuture<Optional<Caller>> caller = new CompletableFuture<>();
        final long loadedAt;
        final AtomicBoolean refreshing = new AtomicBoolean();
        volatile long verifiedAt;
        /** When a request last presented the key (monotonic nanos). */
        volatile long usedAt;
        /** The key's tenant once loaded (also for a refused key, so re-enabling its tenant drops it too). */
        volatile String tenantId;
        /** Set when an event drops the entry: it must never again be served, not even as a stale fallback. */
        volatile boolean dropped;

        Entry(long loadedAt) {
            this.loadedAt = loadedAt;
            this.verifiedAt = loadedAt;
            this.usedAt = loadedAt;
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
        long now = nanoTime.getAsLong();
        Entry entry = cache.get(hash);
        if (entry != null && now - entry.loadedAt > ttlNanos && entry.refreshing.get() && entry.good()
                && now - entry.verifiedAt < STALE_MAX.toNanos()) {
            // its reload is still under way (the database is slow or down): the last good answer keeps serving
            return served(entry, now);
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
        }
        return served(entry, now);
    }

    /**
     * The entry's caller unless its effective expiry has passed; the entry notes the use (for the sweep) and a served
     * key is noted as used now (for its last_used_at).
     */
    private CompletableFuture<Optional<Caller>> served(Entry entry, long nowNanos) {
        entry.usedAt = nowNanos;
        return entry.caller.thenApply(c -> {
            Instant now = clock.instant();
            Optional<Caller> valid = c.filter(caller -> !caller.expiredAt(now));
            valid.ifPresent(caller -> lastUsed.used(caller.keyId(), now));
            return valid;
        });
    }

    /**
     * Reloads, in batched queries, every entry past half its TTL whose key was used within {@link #KEEP_WARM}; each
     * new entry replaces the old one only if no event dropped or replaced it meanwhile. If the database cannot be
     * read, the entries keep serving until they expire, and the next request's load decides (see {@link #load}).
     */
    @Scheduled(fixedDelay = "250ms", initialDelay = "250ms")
    void sweep() {
        if (ttlNanos == 0) {
            return; // nothing is cached
        }
        long now = nanoTime.getAsLong();
        Map<String, Entry> due = new HashMap<>();
        cache.forEach((hash, entry) -> {
            if (now - entry.loadedAt > refreshAfterNanos && now - entry.usedAt < KEEP_WARM.toNanos()
                    && entry.good() && !entry.dropped && entry.refreshing.compareAndSet(false, true)) {
                due.put(hash, entry);
            }
        });
        List<String> hashes = new ArrayList<>(due.keySet());
        for (int from = 0; from < hashes.size(); from += SWEEP_BATCH) {
            List<String> batch = hashes.subList(from, Math.min(hashes.size(), from + SWEEP_BATCH));
            try {
                reload(batch, due, now);
            } catch (RuntimeException e) {
                hashes.subList(from, hashes.size()).forEach(h -> due.get(h).refreshing.set(false));
                if (!sweepFailing) {
                    sweepFailing = true;
                    LOG.warn("keys: cannot reload cached keys in the background ({}); requests load them when they expire",
                            ErrorText.firstLine(e));
                }
                return;
            }
        }
        if (sweepFailing && !hashes.isEmpty()) {
            sweepFailing = false;
            LOG.info("keys: background reload works again");
        }
    }

    private void reload(List<String> hashes, Map<String, Entry> due, long startedAt) {
        Map<String, KeyRow> found = new HashMap<>();
        keys.findByKeyHashIn(hashes).forEach(k -> found.put(k.keyHash(), k));
        Set<String> tenantIds = new HashSet<>();
        found.values().forEach(k -> tenantIds.add(k.tenantId()));
        Map<String, TenantRow> live = new HashMap<>();
        if (!tenantIds.isEmpty()) {
            tenants.findByIdInAndDeletedAtIsNull(tenantIds).forEach(t -> live.put(t.id(), t));
        }
        Instant now = clock.instant();
        for (String hash : hashes) {
            Entry current = due.get(hash);
            KeyRow key = found.get(hash);
            Entry next = new Entry(startedAt);
            next.usedAt = current.usedAt;
            next.tenantId = key == null ? null : key.tenantId();
            next.caller.complete(key == null ? Optional.empty()
                    : callerOf(key, Optional.ofNullable(live.get(key.tenantId())), now));
            if (!cache.replace(hash, current, next)) {
                current.refreshing.set(false);
            }
        }
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
                    && nanoTime.getAsLong() - previous.verifiedAt < STALE_MAX.toNanos()) {
                entry.verifiedAt = previous.verifiedAt;
                entry.tenantId = previous.tenantId;
                if (previous.verifiedAt == previous.loadedAt) {
                    LOG.warn("keys: the database cannot be read ({}); serving cached keys for up to {}",
                            ErrorText.firstLine(e),
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
        if (revoked(key, now)) {
            return Optional.empty();
        }
        return callerOf(key, tenants.findByIdAndDeletedAtIsNull(key.tenantId()), now);
    }

    private static boolean revoked(KeyRow key, Instant now) {
        return key.revokedAt() != null && !key.revokedAt().isAfter(now);
    }

    /** The caller a key stands for, or nothing when it is revoked or its tenant is gone or disabled. */
    private static Optional<Caller> callerOf(KeyRow key, Optional<TenantRow> tenant, Instant now) {
        if (revoked(key, now) || tenant.isEmpty() || tenant.get().disabled()) {
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
