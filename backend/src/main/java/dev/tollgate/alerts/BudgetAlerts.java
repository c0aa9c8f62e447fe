// Why: the limit engine reports, from an event loop and on every replica, each admission that leaves a budget at
// or above its alert_at share; this turns that stream of reports into exactly one recorded event (and one webhook
// delivery) per budget window, without ever blocking or failing the request that reported it.
package dev.tollgate.alerts;

import dev.tollgate.storage.Ids;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records budget alert events. Each replica remembers the windows it has already handled, so repeated reports cost
 * one map lookup; the first report of a window is inserted off the caller's thread with
 * {@code INSERT … ON CONFLICT DO NOTHING} against a unique index, so replicas agree on one event, and only the
 * replica whose insert won calls the webhook.
 */
@Singleton
public class BudgetAlerts {
    /** Windows remembered before the finished ones are forgotten (forgetting costs one no-op insert later). */
    static final int MAX_REMEMBERED = 100_000;
    /** After a failed insert (database unreachable), reports of that window are ignored this long, then retried. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(BudgetAlerts.class);
    private final AlertRepository alerts;
    private final AlertWebhook webhook;
    private final Executor blocking;
    private final TaskScheduler scheduler;
    private final ConcurrentHashMap<Scope, CompletableFuture<Boolean>> handled = new ConcurrentHashMap<>();

    @Inject
    public BudgetAlerts(AlertRepository alerts, AlertWebhook webhook, @Named(TaskExecutors.BLOCKING) Executor blocking,
                        @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.alerts = alerts;
        this.webhook = webhook;
        this.blocking = blocking;
        this.scheduler = scheduler;
    }

    /** One budget window: a tenant's own budget ({@code keyId} empty) or a key's. */
    record Scope(String tenantId, String keyId, String window, Instant windowStart) {
        static Scope of(BudgetAlert a) {
            return new Scope(a.tenantId(), a.keyId() == null ? "" : a.keyId(), a.window(), a.windowStart());
        }
    }

    /**
     * Reports that an admission left a budget at or above its alert threshold. Returns at once: never blocks,
     * never throws; call it as often as the threshold is seen crossed, from any thread and any replica.
     */
    public void crossed(BudgetAlert alert) {
        try {
            record(alert);
        } catch (RuntimeException e) {
            LOG.warn("Ignoring a budget alert report that cannot be handled: {}", e.toString());
        }
    }

    /**
     * Like {@link #crossed}, answering how the report ended: {@code true} if this call's insert recorded the event,
     * {@code false} if the window already had one (recorded here or by another replica); the same future for every
     * report of a window this replica remembers.
     */
    CompletableFuture<Boolean> record(BudgetAlert alert) {
        Scope scope = Scope.of(alert);
        CompletableFuture<Boolean> known = handled.get(scope);
        if (known != null) {
            return known;
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        known = handled.putIfAbsent(scope, mine);
        if (known != null) {
            return known;
        }
        if (handled.size() > MAX_REMEMBERED) {
            handled.values().removeIf(f -> f.isDone() && f != mine);
        }
        try {
            blocking.execute(() -> insert(alert, scope, mine));
        } catch (RuntimeException e) {
            fail(scope, mine, e);
        }
        return mine;
    }

    private void insert(BudgetAlert alert, Scope scope, CompletableFuture<Boolean> mine) {
        try {
            AlertRow row = new AlertRow(Ids.next("alr"), alert.tenantId(), alert.keyId(), alert.window(),
                    alert.windowStart(), alert.limitMicros(), alert.usedMicros(), alert.alertAt(), alert.at(),
                    webhook.initialStatus(), 0, null);
            boolean won = alerts.insertOnce(row.id(), row.tenantId(), row.keyId(), row.budgetWindow(),
                    row.windowStart(), row.limitMicros(), row.usedMicros(), row.alertAt(), row.createdAt(),
                    row.webhookStatus()) == 1;
            if (won) {
                LOG.info("Budget alert {}: tenant {} {} used {} of {} micro-USD in its {} window from {}", row.id(),
                        row.tenantId(), row.keyId() == null ? "(tenant budget)" : "key " + row.keyId(),
                        row.usedMicros(), row.limitMicros(), row.budgetWindow(), row.windowStart());
            }
            mine.complete(won);
            if (won) {
                webhook.deliver(row);
            }
        } catch (RuntimeException e) {
            fail(scope, mine, e);
        }
    }

    /** Lets the window be tried again after {@link #RETRY_AFTER_FAILURE}; reports until then cost nothing. */
    private void fail(Scope scope, CompletableFuture<Boolean> mine, RuntimeException e) {
        LOG.warn("Could not record a budget alert of tenant {} ({} window from {}), retrying on a report after {}s: {}",
                scope.tenantId(), scope.window(), scope.windowStart(), RETRY_AFTER_FAILURE.toSeconds(), e.getMessage());
        mine.completeExceptionally(e);
        try {
            scheduler.schedule(RETRY_AFTER_FAILURE, () -> {
                handled.remove(scope, mine);
            });
        } catch (RuntimeException rejected) {
            handled.remove(scope, mine);
        }
    }
}
