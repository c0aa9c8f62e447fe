// Why: an operator learns of a budget alert without polling the admin API: the replica that recorded the event
// POSTs it to TOLLGATE_ALERT_WEBHOOK_URL, retrying with exponential back-off, and keeps the outcome on the event.
package dev.tollgate.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.Settings;
import dev.tollgate.keys.KeyRepository;
import dev.tollgate.keys.KeyRow;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.tenants.TenantRow;
import dev.tollgate.usage.Usd;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert events. Sending is asynchronous ({@link HttpClient#sendAsync}); waits between attempts are
 * scheduled, never slept; database writes run on the blocking executor. Event loops are never used.
 */
@Singleton
public class AlertWebhook {
    static final String TYPE = "budget.alert_threshold_crossed";
    static final String NOT_CONFIGURED = "not_configured";
    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI url;
    private final WebhookPolicy policy;
    private final AlertRepository alerts;
    private final TenantRepository tenants;
    private final KeyRepository keys;
    private final Executor blocking;
    private final TaskScheduler scheduler;
    private final HttpClient http;

    @Inject
    public AlertWebhook(Settings settings, WebhookPolicy policy, AlertRepository alerts, TenantRepository tenants,
                        KeyRepository keys, @Named(TaskExecutors.BLOCKING) Executor blocking,
                        @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this(settings.alertWebhookUrl(), policy, alerts, tenants, keys, blocking, scheduler);
    }

    AlertWebhook(@Nullable URI url, WebhookPolicy policy, AlertRepository alerts, TenantRepository tenants,
                 KeyRepository keys, Executor blocking, TaskScheduler scheduler) {
        this.url = url;
        this.policy = policy;
        this.alerts = alerts;
        this.tenants = tenants;
        this.keys = keys;
        this.blocking = blocking;
        this.scheduler = scheduler;
        this.http = url == null ? null : HttpClient.newBuilder().connectTimeout(policy.timeout()).build();
    }

    /** The webhook status a new event starts with. */
    String initialStatus() {
        return url == null ? NOT_CONFIGURED : PENDING;
    }

    /** Starts delivering a just-recorded event; returns once the first attempt is sent. Call off the event loop. */
    void deliver(AlertRow row) {
        if (url == null) {
            return;
        }
        byte[] body;
        try {
            body = payload(row);
        } catch (RuntimeException e) {
            LOG.warn("Budget alert {}: cannot build the webhook event: {}", row.id(), e.getMessage());
            record(row.id(), FAILED, 0, "cannot build the event: " + e.getMessage());
            return;
        }
        attempt(row.id(), body, 1);
    }

    private void attempt(String id, byte[] body, int n) {
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(policy.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "tollgate")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.orTimeout(policy.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)
                .whenCompleteAsync((response, error) -> settle(id, body, n, problem(response, error)), blocking);
    }

    private void settle(String id, byte[] body, int n, String problem) {
        boolean retry = problem != null && n < policy.attempts();
        record(id, problem == null ? DELIVERED : retry ? PENDING : FAILED, n, problem);
        if (retry) {
            scheduler.schedule(policy.delayAfter(n), () -> attempt(id, body, n + 1));
        } else if (problem != null) {
            LOG.warn("Budget alert {}: webhook failed after {} attempts, last: {}", id, n, problem);
        }
    }

    private void record(String id, String status, int attempts, String problem) {
        try {
            alerts.delivery(id, status, attempts, problem);
        } catch (RuntimeException e) {
            LOG.warn("Budget alert {}: cannot record webhook status {} after {} attempts: {}", id, status, attempts,
                    e.getMessage());
        }
    }

    /** Why an attempt failed, or {@code null} for a 2xx answer. */
    static String problem(HttpResponse<?> response, Throwable error) {
        if (error == null) {
            int status = response.statusCode();
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        }
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return "timed out";
        }
        if (t instanceof ConnectException && t.getMessage() == null) {
            return "ConnectException: cannot connect";
        }
        String message = t.getMessage();
        String text = t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    /** The JSON POSTed for an event: ids and names, the budget and its use in USD, the window and times. */
    byte[] payload(AlertRow row) {
        String tenantName = tenants.findById(row.tenantId()).map(TenantRow::name).orElse(null);
        String keyName = row.keyId() == null ? null : keys.findById(row.keyId()).map(KeyRow::name).orElse(null);
        ObjectNode event = JSON.createObjectNode()
                .put("type", TYPE)
                .put("id", row.id())
                .put("tenant_id", row.tenantId())
                .put("tenant_name", tenantName)
                .put("key_id", row.keyId())
                .put("key_name", keyName)
                .put("limit", "budget")
                .put("window", row.budgetWindow())
                .put("window_start", row.windowStart().toString())
                .put("amount", Usd.ofMicros(row.limitMicros()))
                .put("used", Usd.ofMicros(row.usedMicros()))
                .put("currency", "USD")
                .put("alert_at", Usd.plain(row.alertAt()))
                .put("created_at", row.createdAt().toString());
        try {
            return JSON.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
