// Why: a key a client calls every few seconds must not make each request wait for the database, yet a reload must
// never bring back a key an event has dropped, and revocations must still land within the cache's TTL.
package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ProxyProperties;
import dev.tollgate.config.Settings;
import dev.tollgate.storage.ServerSecret;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.tenants.TenantRow;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyCacheSweepTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final Map<String, KeyRow> keyRows = new ConcurrentHashMap<>();
    private final Map<String, TenantRow> tenantRows = new ConcurrentHashMap<>();
    /** Every database read, in order: "one:<hash>", "many:<n keys>", "tenant", "tenants:<n>". */
    private final List<String> reads = new ArrayList<>();
    private Runnable duringBatchRead = () -> { };
    private boolean databaseDown;
    private KeyHasher hasher;
    private KeyAuthenticator auth;

    @BeforeEach
    void setUp() {
        Settings settings = Settings.fromEnvironment(Map.of("TOLLGATE_SECRET", "a-test-secret-of-enough-length-0123456789"));
        hasher = new KeyHasher(new ServerSecret(settings, null, null));
        ProxyProperties props = new ProxyProperties();
        props.setKeyCacheTtl(Duration.ofSeconds(2));
        LastUsedTracker lastUsed = new LastUsedTracker(null, new io.micronaut.jdbc.DataSourceResolver() { }, new KeyProperties(), null);
        auth = new KeyAuthenticator(hasher, keys(), tenants(), Runnable::run, Clock.fixed(NOW, ZoneOffset.UTC), nanos::get,
                props, new LocalKeyEvents(), lastUsed);
        tenantRows.put("ten_1", new TenantRow("ten_1", "acme", "{}", null, false, NOW, NOW, null));
    }

    private String addKey(String id) {
        String key = ApiKeyFormat.generate();
        keyRows.put(hasher.hash(key), new KeyRow(id, "ten_1", id, hasher.hash(key), key.substring(0, 10), "{}", null,
                null, null, NOW, NOW, null, false));
        return key;
    }

    private Optional<Caller> call(String key) {
        CompletableFuture<Optional<Caller>> answer = auth.authenticate(key);
        assertThat(answer).as("answered from memory, without waiting").isDone();
        return answer.join();
    }

    private void advance(double seconds) {
        nanos.addAndGet((long) (seconds * SECOND));
    }

    @Test
    void aKeyCalledEveryFewSecondsIsReloadedInTheBackgroundAndNoRequestWaits() {
        String key = addKey("key_1");
        assertThat(call(key)).isPresent();
        assertThat(reads).containsExactly("one:" + hasher.hash(key), "tenant");
        reads.clear();
        for (int i = 0; i < 30; i++) { // a minute of calls five seconds apart, the sweep running every 250 ms
            for (int tick = 0; tick < 20; tick++) {
                advance(0.25);
                auth.sweep();
            }
            assertThat(call(key)).isPresent();
        }
        assertThat(reads).doesNotContain("one:" + hasher.hash(key)).contains("many:1", "tenants:1");
    }

    @Test
    void aKeyIdleForLongerThanKeepWarmIsLeftToExpire() {
        String key = addKey("key_1");
        call(key);
        advance(KeyAuthenticator.KEEP_WARM.toSeconds() + 1);
        reads.clear();
        auth.sweep();
        assertThat(reads).isEmpty();
        assertThat(auth.authenticate(key).join()).isPresent();
        assertThat(reads).containsExactly("one:" + hasher.hash(key), "tenant");
    }

    @Test
    void oneSweepReloadsEveryWarmKeyInOneQuery() {
        List<String> keys = List.of(addKey("key_1"), addKey("key_2"), addKey("key_3"));
        keys.forEach(this::call);
        advance(1.1);
        reads.clear();
        auth.sweep();
        assertThat(reads).containsExactly("many:3", "tenants:1");
        auth.sweep();
        assertThat(reads).as("fresh entries are not reloaded again").hasSize(2);
    }

    @Test
    void aRevocationOrADisabledTenantFoundByTheSweepIsServedAtOnce() {
        String key = addKey("key_1");
        String other = addKey("key_2");
        call(key);
        call(other);
        KeyRow row = keyRows.get(hasher.hash(key));
        keyRows.put(row.keyHash(), new KeyRow(row.id(), row.tenantId(), row.name(), row.keyHash(), row.prefix(),
                row.limits(), null, null, NOW.minusSeconds(1), NOW, NOW, null, false));
        advance(1.1);
        auth.sweep();
        assertThat(call(key)).as("revoked").isEmpty();
        assertThat(call(other)).isPresent();
        tenantRows.put("ten_1", new TenantRow("ten_1", "acme", "{}", null, true, NOW, NOW, null));
        advance(1.1);
        auth.sweep();
        assertThat(call(other)).as("its tenant was disabled").isEmpty();
    }

    @Test
    void aKeyDroppedByAnEventWhileTheSweepReadsIsNotBroughtBack() {
        String key = addKey("key_1");
        call(key);
        advance(1.1);
        duringBatchRead = () -> auth.forget(hasher.hash(key)); // e.g. revoked on another replica meanwhile
        auth.sweep();
        reads.clear();
        auth.authenticate(key).join();
        assertThat(reads).as("the key is read again, not served from the reload").containsExactly(
                "one:" + hasher.hash(key), "tenant");
    }

    @Test
    void whenTheDatabaseCannotBeReadTheEntryServesUntilItsTtlAndThenTheStaleRulesApply() {
        String key = addKey("key_1");
        call(key);
        advance(1.1);
        databaseDown = true;
        auth.sweep();
        assertThat(call(key)).isPresent();
        advance(1.0); // past the TTL: the request's own load fails, and the last good answer is served
        assertThat(auth.authenticate(key).join()).isPresent();
        databaseDown = false;
        advance(1.1);
        reads.clear();
        auth.sweep();
        assertThat(reads).containsExactly("many:1", "tenants:1");
    }

    @Test
    void keysBeyondOneBatchAreReadInBatchesAndAFailedSweepLeavesEveryKeyToTheNext() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i <= KeyAuthenticator.SWEEP_BATCH; i++) {
            keys.add(addKey("key_" + i));
        }
        keys.forEach(this::call);
        advance(1.1);
        databaseDown = true;
        auth.sweep();
        databaseDown = false;
        reads.clear();
        auth.sweep();
        assertThat(reads).filteredOn(r -> r.startsWith("many:"))
                .containsExactlyInAnyOrder("many:" + KeyAuthenticator.SWEEP_BATCH, "many:1");
    }

    private KeyRepository keys() {
        return repository(KeyRepository.class, (name, args) -> {
            failIfDown();
            if (name.equals("findByKeyHash")) {
                reads.add("one:" + args[0]);
                return Optional.ofNullable(keyRows.get((String) args[0]));
            }
            Collection<?> hashes = (Collection<?>) args[0];
            reads.add("many:" + hashes.size());
            duringBatchRead.run();
            return hashes.stream().map(keyRows::get).filter(java.util.Objects::nonNull).toList();
        });
    }

    private TenantRepository tenants() {
        return repository(TenantRepository.class, (name, args) -> {
            failIfDown();
            if (name.equals("findByIdAndDeletedAtIsNull")) {
                reads.add("tenant");
                return Optional.ofNullable(tenantRows.get((String) args[0]));
            }
            Collection<?> ids = (Collection<?>) args[0];
            reads.add("tenants:" + ids.size());
            return ids.stream().map(tenantRows::get).filter(java.util.Objects::nonNull).toList();
        });
    }

    private void failIfDown() {
        if (databaseDown) {
            throw new IllegalStateException("connection refused");
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T repository(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "findByKeyHash", "findByKeyHashIn", "findByIdAndDeletedAtIsNull", "findByIdInAndDeletedAtIsNull" ->
                            answer.answer(method.getName(), args);
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
    }
}
