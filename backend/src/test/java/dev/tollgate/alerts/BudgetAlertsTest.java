// Why: the promises of budget alerts on a real database: exactly one event per window however many reports arrive
// from however many replicas, a new event in the next window, a webhook that is retried until it succeeds and
// posted only once, no webhook without a URL, and a reporting call that never throws or waits.
package dev.tollgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.keys.KeyRepository;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.Await;
import dev.tollgate.support.ExternalServices;
import dev.tollgate.support.FreePorts;
import dev.tollgate.support.TestGateway;
import dev.tollgate.tenants.TenantRepository;
import io.micronaut.scheduling.ScheduledExecutorTaskScheduler;
import io.micronaut.scheduling.TaskScheduler;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetAlertsTest {
    private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
    private static final WebhookPolicy FAST = new WebhookPolicy(5, Duration.ofMillis(20), Duration.ofSeconds(2));
    private MockUpstream mock;
    private TestGateway gateway;
    private AlertRepository alerts;
    private TenantRepository tenants;
    private KeyRepository keys;
    private final ExecutorService blocking = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final TaskScheduler scheduler = new ScheduledExecutorTaskScheduler(timer);

    @BeforeAll
    void start() throws Exception {
        mock = MockUpstream.start(new MockConfig().port(0).tokens(1).delayMs(0));
        gateway = TestGateway.start(Map.of("DATABASE_URL", ExternalServices.freshDatabase(), "OLLAMA_URL", mock.baseUrl()),
                Files.createTempDirectory("tollgate-alerts"));
        alerts = gateway.running().context().getBean(AlertRepository.class);
        tenants = gateway.running().context().getBean(TenantRepository.class);
        keys = gateway.running().context().getBean(KeyRepository.class);
    }

    @AfterAll
    void stop() {
        blocking.shutdownNow();
        timer.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    /** A fresh tenant with one key, named {@code name} and {@code name-key}: {tenantId, keyId}. */
    private String[] tenantWithKey(String name) {
        JsonNode tenant = TestGateway.json(gateway.admin("POST", "/tenants", "{\"name\":\"" + name + "\"}").body());
        JsonNode key = TestGateway.json(gateway.admin("POST", "/tenants/" + tenant.path("id").asText() + "/keys",
                "{\"name\":\"" + name + "-key\"}").body());
        return new String[] {tenant.path("id").asText(), key.path("id").asText()};
    }

    private BudgetAlerts replica(URI webhook, WebhookPolicy policy) {
        return new BudgetAlerts(alerts,
                new AlertWebhook(webhook, policy, alerts, tenants, keys, blocking, scheduler), blocking, scheduler);
    }

    private static BudgetAlert alert(String tenantId, String keyId, Instant windowStart, long usedMicros) {
        return new BudgetAlert(tenantId, keyId, "daily", windowStart, 25_000_000, usedMicros, new BigDecimal("0.8"),
                windowStart.plus(15, ChronoUnit.HOURS));
    }

    private List<AlertRow> events(String tenantId) {
        return alerts.pageForTenant(tenantId, "", 1000);
    }

    private AlertRow awaitWebhook(String tenantId, String status) {
        Await.until("webhook " + status, Duration.ofSeconds(10),
                () -> events(tenantId).stream().anyMatch(r -> r.webhookStatus().equals(status)));
        return events(tenantId).get(0);
    }

    @Test
    void manyConcurrentReportsFromManyReplicasRecordExactlyOneEventAndOnePost() throws Exception {
        String[] ids = tenantWithKey("race-" + System.nanoTime());
        try (WebhookReceiver hook = new WebhookReceiver(200)) {
            List<BudgetAlerts> replicas = List.of(replica(hook.url(), FAST), replica(hook.url(), FAST),
                    replica(hook.url(), FAST));
            int threads = 12;
            int reportsPerThread = 200;
            CountDownLatch go = new CountDownLatch(1);
            Set<CompletableFuture<Boolean>> outcomes = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                BudgetAlerts replica = replicas.get(t % replicas.size());
                long used = 20_000_000 + t;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < reportsPerThread; i++) {
                        outcomes.add(replica.record(alert(ids[0], ids[1], DAY, used + i)));
                        replica.crossed(alert(ids[0], ids[1], DAY, used + i));
                    }
                });
                thread.start();
                started.add(thread);
            }
            go.countDown();
            for (Thread thread : started) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            List<Boolean> results = new ArrayList<>();
            for (CompletableFuture<Boolean> f : outcomes) {
                results.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(outcomes).hasSize(replicas.size());
            assertThat(results).containsExactlyInAnyOrder(true, false, false);
            assertThat(events(ids[0])).hasSize(1);
            AlertRow row = awaitWebhook(ids[0], AlertWebhook.DELIVERED);
            assertThat(row.webhookAttempts()).isEqualTo(1);
            assertThat(hook.received()).hasSize(1);
        }
    }

    @Test
    void theNextWindowAndAnotherScopeGetTheirOwnEvent() throws Exception {
        String[] ids = tenantWithKey("windows-" + System.nanoTime());
        BudgetAlerts replica = replica(null, FAST);
        assertThat(replica.record(alert(ids[0], ids[1], DAY, 20_000_000)).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(replica.record(alert(ids[0], ids[1], DAY, 24_000_000)).get(10, TimeUnit.SECONDS)).isTrue();
        Instant nextDay = DAY.plus(1, ChronoUnit.DAYS);
        assertThat(replica.record(alert(ids[0], ids[1], nextDay, 21_000_000)).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(replica.record(alert(ids[0], null, DAY, 22_000_000)).get(10, TimeUnit.SECONDS)).isTrue();
        // a replica that has not seen the window yet learns from the database that it is taken
        assertThat(replica(null, FAST).record(alert(ids[0], ids[1], DAY, 23_000_000)).get(10, TimeUnit.SECONDS)).isFalse();

        List<AlertRow> rows = events(ids[0]);
        assertThat(rows).hasSize(3);
        assertThat(rows).extracting(r -> r.keyId() + "@" + r.windowStart())
                .containsExactlyInAnyOrder(ids[1] + "@" + DAY, ids[1] + "@" + nextDay, "null@" + DAY);
        AlertRow first = rows.stream().filter(r -> ids[1].equals(r.keyId()) && r.windowStart().equals(DAY)).findFirst().orElseThrow();
        assertThat(first.usedMicros()).isEqualTo(20_000_000);
        assertThat(first.limitMicros()).isEqualTo(25_000_000);
        assertThat(first.createdAt()).isEqualTo(DAY.plus(15, ChronoUnit.HOURS));
        assertThat(first.webhookStatus()).isEqualTo(AlertWebhook.NOT_CONFIGURED);
        assertThat(first.webhookAttempts()).isZero();
    }

    @Test
    void aFailingWebhookIsRetriedAndPostedOnceSuccessfully() throws Exception {
        String name = "retry-" + System.nanoTime();
        String[] ids = tenantWithKey(name);
        try (WebhookReceiver hook = new WebhookReceiver(500, 200)) {
            assertThat(replica(hook.url(), FAST).record(alert(ids[0], ids[1], DAY, 20_500_000)).get(10, TimeUnit.SECONDS)).isTrue();
            AlertRow row = awaitWebhook(ids[0], AlertWebhook.DELIVERED);
            assertThat(row.webhookAttempts()).isEqualTo(2);
            assertThat(row.webhookLastError()).isNull();
            assertThat(hook.received()).extracting(WebhookReceiver.Received::answered).containsExactly(500, 200);
            assertThat(hook.received().get(0).body()).isEqualTo(hook.received().get(1).body());
            assertThat(hook.received().get(1).contentType()).isEqualTo("application/json");

            JsonNode event = TestGateway.json(hook.received().get(1).body());
            assertThat(event.path("type").asText()).isEqualTo("budget.alert_threshold_crossed");
            assertThat(event.path("id").asText()).isEqualTo(row.id());
            assertThat(event.path("tenant_id").asText()).isEqualTo(ids[0]);
            assertThat(event.path("tenant_name").asText()).isEqualTo(name);
            assertThat(event.path("key_id").asText()).isEqualTo(ids[1]);
            assertThat(event.path("key_name").asText()).isEqualTo(name + "-key");
            assertThat(event.path("limit").asText()).isEqualTo("budget");
            assertThat(event.path("window").asText()).isEqualTo("daily");
            assertThat(event.path("window_start").asText()).isEqualTo("2026-03-10T00:00:00Z");
            assertThat(event.path("amount").isNumber()).isTrue();
            assertThat(event.path("amount").decimalValue()).isEqualByComparingTo("25");
            assertThat(event.path("used").decimalValue()).isEqualByComparingTo("20.5");
            assertThat(event.path("alert_at").decimalValue()).isEqualByComparingTo("0.8");
            assertThat(event.path("currency").asText()).isEqualTo("USD");
            assertThat(event.path("created_at").asText()).isEqualTo("2026-03-10T15:00:00Z");
        }
    }

    @Test
    void aWebhookThatKeepsFailingIsGivenUpAfterTheLastAttemptWithDoublingWaits() throws Exception {
        String[] ids = tenantWithKey("failing-" + System.nanoTime());
        try (WebhookReceiver hook = new WebhookReceiver(503)) {
            WebhookPolicy policy = new WebhookPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));
            replica(hook.url(), policy).record(alert(ids[0], null, DAY, 21_000_000)).get(10, TimeUnit.SECONDS);
            AlertRow row = awaitWebhook(ids[0], AlertWebhook.FAILED);
            assertThat(row.webhookAttempts()).isEqualTo(3);
            assertThat(row.webhookLastError()).isEqualTo("HTTP 503");
            List<WebhookReceiver.Received> got = hook.received();
            assertThat(got).hasSize(3);
            assertThat(got.get(1).nanos() - got.get(0).nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
            assertThat(got.get(2).nanos() - got.get(1).nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        }
    }

    @Test
    void connectionErrorsAreRetriedAndRecorded() throws Exception {
        String[] ids = tenantWithKey("refused-" + System.nanoTime());
        URI nobody = URI.create("http://127.0.0.1:" + FreePorts.next() + "/hook");
        WebhookPolicy policy = new WebhookPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(2));
        replica(nobody, policy).record(alert(ids[0], null, DAY, 21_000_000)).get(10, TimeUnit.SECONDS);
        AlertRow row = awaitWebhook(ids[0], AlertWebhook.FAILED);
        assertThat(row.webhookAttempts()).isEqualTo(2);
        assertThat(row.webhookLastError()).contains("ConnectException");
    }

    @Test
    void withoutAWebhookUrlNothingIsPosted() throws Exception {
        String[] ids = tenantWithKey("no-hook-" + System.nanoTime());
        try (WebhookReceiver hook = new WebhookReceiver(200)) {
            assertThat(replica(null, FAST).record(alert(ids[0], ids[1], DAY, 20_000_000)).get(10, TimeUnit.SECONDS)).isTrue();
            AlertRow row = events(ids[0]).get(0);
            assertThat(row.webhookStatus()).isEqualTo(AlertWebhook.NOT_CONFIGURED);
            assertThat(row.webhookAttempts()).isZero();
            assertThat(hook.received()).isEmpty();
        }
        assertThat(gateway.running().context().getBean(AlertWebhook.class).initialStatus())
                .as("the gateway runs without TOLLGATE_ALERT_WEBHOOK_URL").isEqualTo(AlertWebhook.NOT_CONFIGURED);
    }

    @Test
    void reportingNeverWaitsForTheDatabaseNorThrows() throws Exception {
        String[] ids = tenantWithKey("never-blocks-" + System.nanoTime());
        List<Runnable> parked = new ArrayList<>();
        BudgetAlerts parkedReplica = new BudgetAlerts(alerts,
                new AlertWebhook((URI) null, FAST, alerts, tenants, keys, blocking, scheduler), parked::add, scheduler);
        parkedReplica.crossed(alert(ids[0], ids[1], DAY, 20_000_000));
        parkedReplica.crossed(alert(ids[0], ids[1], DAY, 21_000_000));
        assertThat(parked).hasSize(1);
        assertThat(events(ids[0])).isEmpty();
        parked.get(0).run();
        assertThat(events(ids[0])).hasSize(1);

        BudgetAlerts rejecting = new BudgetAlerts(alerts,
                new AlertWebhook((URI) null, FAST, alerts, tenants, keys, blocking, scheduler),
                r -> {
                    throw new RejectedExecutionException("shut down");
                }, scheduler);
        rejecting.crossed(alert(ids[0], ids[1], DAY.plus(1, ChronoUnit.DAYS), 20_000_000));
        rejecting.crossed(null);
        assertThat(rejecting.record(alert(ids[0], ids[1], DAY.plus(2, ChronoUnit.DAYS), 1))).isCompletedExceptionally();
    }

    @Test
    void aFailedInsertIsNotRetriedOnEveryReport() throws Exception {
        BudgetAlerts replica = replica(null, FAST);
        BudgetAlert unknownTenant = alert("ten_missing", null, DAY, 20_000_000);
        CompletableFuture<Boolean> first = replica.record(unknownTenant);
        assertThat(first).failsWithin(Duration.ofSeconds(10));
        assertThat(replica.record(unknownTenant)).isSameAs(first);
    }
}
