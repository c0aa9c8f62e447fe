// Why: every proxied call, whatever its dialect, goes through the same steps: authenticate, inspect the body,
// resolve the model against the caller's permissions and the upstreams' catalogs, forward, and stream the
// answer back chunk by chunk. The dialect controllers only choose paths and shapes.
package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.keys.Caller;
import dev.tollgate.keys.KeyAuthenticator;
import dev.tollgate.upstream.BodyCollector;
import dev.tollgate.upstream.ModelCatalog;
import dev.tollgate.upstream.Upstream;
import dev.tollgate.upstream.UpstreamClient;
import dev.tollgate.upstream.UpstreamRegistry;
import dev.tollgate.upstream.UpstreamRequest;
import dev.tollgate.upstream.UpstreamResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import dev.tollgate.config.Settings;
import dev.tollgate.limits.Demand;
import dev.tollgate.limits.LimitGate;
import dev.tollgate.limits.Reservation;
import dev.tollgate.storage.Ids;
import dev.tollgate.usage.Price;
import dev.tollgate.usage.PriceBook;
import dev.tollgate.usage.TapResult;
import dev.tollgate.usage.TokenEstimator;
import dev.tollgate.usage.Usage;
import dev.tollgate.usage.UsageFormat;
import dev.tollgate.usage.UsageSink;
import dev.tollgate.usage.UsageTap;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.function.Supplier;

@Singleton
public class ProxyPipeline {
    /** The largest non-streaming answer read whole before it is written; a longer one is relayed as it arrives. */
    private static final int WHOLE_ANSWER_LIMIT = 16 * 1024 * 1024;
    private final KeyAuthenticator authenticator;
    private final ModelCatalog catalog;
    private final UpstreamRegistry upstreams;
    private final UpstreamClient client;
    private final ObjectMapper json;
    private final LimitGate limits;
    private final TokenEstimator estimator;
    private final PriceBook prices;
    private final long defaultMaxTokens;
    private final UsageSink usageLog;
    private final ExecutorService blocking;
    private final Clock clock;

    public ProxyPipeline(KeyAuthenticator authenticator, ModelCatalog catalog, UpstreamRegistry upstreams,
                         UpstreamClient client, ObjectMapper json, LimitGate limits, TokenEstimator estimator,
                         PriceBook prices, Settings settings, UsageSink usageLog, Clock clock,
                         @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.usageLog = usageLog;
        this.blocking = blocking;
        this.clock = clock;
        this.authenticator = authenticator;
        this.limits = limits;
        this.estimator = estimator;
        this.prices = prices;
        this.defaultMaxTokens = settings.defaultMaxTokens();
        this.catalog = catalog;
        this.upstreams = upstreams;
        this.client = client;
        this.json = json;
    }

    /** The caller of an authenticated request; every kind of bad key fails alike with 401. */
    public CompletableFuture<Caller> authenticate(ClientRequest request) {
        String key = presentedKey(request);
        if (key == null) {
            return CompletableFuture.failedFuture(ProxyException.badKey());
        }
        return authenticator.authenticate(key).thenApply(c -> c.orElseThrow(ProxyException::badKey));
    }

    static String presentedKey(ClientRequest headers) {
        String auth = headers.header(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String key = headers.header("x-api-key");
        return key != null ? key.trim() : headers.header("api-key");
    }

    /**
     * Forwards a model call (chat, generate, embeddings, ...) and streams the answer back: authenticate, resolve the
     * model, reserve the estimate against every limit, forward, and settle to the reported usage when it ends.
     */
    public CompletableFuture<ProxyAnswer> forward(ClientRequest request, ModelCall call, byte[] body) {
        long startNanos = System.nanoTime();
        java.time.Instant createdAt = clock.instant();
        String id = request.requestId();
        String requestId = id != null ? id : Ids.request();
        RequestInspector.Inspected inspected;
        ProxyException malformed = null;
        try {
            inspected = RequestInspector.inspect(body, true);
        } catch (ProxyException e) {
            inspected = null;
            malformed = e;
        }
        RequestInspector.Inspected body0 = inspected;
        ProxyException bad = malformed;
        return authenticate(request).thenCompose(caller -> {
            UsageSink.Slot slot = usageLog.claim();
            if (slot == null) {
                return CompletableFuture.failedFuture(ProxyException.usageLogFull());
            }
            CallRecord record = new CallRecord(slot, requestId, createdAt, startNanos, request.path(), call, caller,
                    body0 == null ? null : body0.model(), body0 != null && call.streams(body0.stream()),
                    caller.logPrompts() && body != null ? new String(body, StandardCharsets.UTF_8) : null);
            CompletableFuture<ProxyAnswer> answer = bad != null ? CompletableFuture.failedFuture(bad)
                    : forwardAuthenticated(request, call, body, body0, requestId, caller, record);
            return answer.whenComplete((r, e) -> {
                if (e != null && !clientClosed(e)) { // a client that left is logged where the call was sent
                    record.refused(e);
                }
            });
        });
    }

    private CompletableFuture<ProxyAnswer> forwardAuthenticated(ClientRequest request, ModelCall call,
            byte[] body, RequestInspector.Inspected inspected, String requestId, Caller caller, CallRecord record) {
        return route(caller, inspected.model()).thenCompose(upstream -> {
            Supplier<RequestEstimate> estimate = new RequestEstimate.Lazy(inspected, call, defaultMaxTokens, estimator);
            Price price = prices.priceOf(inspected.model());
            return limits.admit(caller, requestId, () -> {
                        RequestEstimate e = estimate.get();
                        return new Demand(e.total(), price.costMicros(e.promptTokens(), e.outputTokens()));
                    })
                    .exceptionally(e -> {
                        Throwable t = ProxyException.translate(e);
                        throw t instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(t);
                    })
                    .thenCompose(reservation -> forwardReserved(request, upstream, call, body, inspected, estimate,
                            reservation, price, record));
        });
    }

    /** Sends an admitted call; whatever stops it before the answer starts settles its reservation to zero. */
    private CompletableFuture<ProxyAnswer> forwardReserved(ClientRequest request, Upstream upstream,
            ModelCall call, byte[] body, RequestInspector.Inspected inspected, Supplier<RequestEstimate> estimate,
            Reservation reservation, Price price, CallRecord record) {
        record.sentTo(upstream.name());
        try {
            UpstreamCall sent = UpstreamCall.of(json, call, body, call.streams(inspected.stream()), reservation, estimate);
            return send(request, upstream, UpstreamRequest.post(call.path(), sent.body(), accept(request)))
                    .whenComplete((r, e) -> {
                        if (e != null && clientClosed(e)) {
                            // the upstream had the request and may have worked on it: keep the estimate, log it
                            reservation.settleUnmeasured();
                            CompletableFuture.runAsync(() -> record.leftBeforeAnswer(price, estimate), blocking);
                        } else if (e != null) {
                            reservation.settleMeasured(0, 0); // nothing was served
                        }
                    })
                    .thenCompose(r -> metered(request, r, upstream.name(), inspected.model(), call, sent,
                            call.streams(inspected.stream()), reservation, price, estimate, record));
        } catch (RuntimeException e) {
            reservation.settleMeasured(0, 0);
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Forwards a call about one model (show, retrieve) after checking the caller may see it. The model is read
     * after authentication, so an anonymous caller learns nothing from a malformed body.
     */
    public CompletableFuture<ProxyAnswer> forwardAbout(ClientRequest request, Supplier<String> model,
                                                       UpstreamRequest call) {
        return authenticate(request)
                .thenCompose(caller -> {
                    String name = model.get();
                    return route(caller, name)
                            .thenCompose(upstream -> send(request, upstream, call))
                            .thenApply(r -> relayModelCall(r, name));
                });
    }

    /** Fetches a listing from the primary upstream and keeps only what the caller may see. */
    public CompletableFuture<ProxyAnswer> listing(ClientRequest request, String path,
                                                  BiFunction<Caller, JsonNode, JsonNode> filter) {
        return authenticate(request).thenCompose(caller -> send(request, primary(), UpstreamRequest.get(path))
                .thenCompose(r -> r.bodyBytes().thenApply(bytes -> {
                    if (r.status() != 200) {
                        throw ProxyException.upstreamFailed("answered " + r.status() + " to a model listing");
                    }
                    try {
                        JsonNode filtered = filter.apply(caller, json.readTree(bytes));
                        return ProxyAnswer.whole(200, "application/json", Map.of(), json.writeValueAsBytes(filtered));
                    } catch (IOException e) {
                        throw ProxyException.upstreamFailed("sent an unreadable model listing");
                    }
                })));
    }

    private CompletableFuture<Upstream> route(Caller caller, String model) {
        if (!caller.permits(model)) {
            return CompletableFuture.failedFuture(ProxyException.modelNotFound(model));
        }
        if (upstreams.enabled().isEmpty()) {
            // every upstream deleted or disabled: a gateway fault (502), not a model the caller got wrong
            return CompletableFuture.failedFuture(noUpstream());
        }
        return catalog.resolve(model).thenApply(u -> u.orElseThrow(() -> ProxyException.modelNotFound(model)));
    }

    private Upstream primary() {
        List<Upstream> enabled = upstreams.enabled();
        if (enabled.isEmpty()) {
            throw noUpstream();
        }
        return enabled.get(0);
    }

    private static ProxyException noUpstream() {
        return ProxyException.upstreamFailed("is not configured (no enabled upstream)");
    }

    /**
     * Sends from the request's own event loop (a key loaded from the database or an admission answered by Redis
     * completes on another thread): the upstream connection then comes from that loop's pool and its chunks reach
     * the client's connection without a thread hop.
     */
    private CompletableFuture<UpstreamResponse> send(ClientRequest request, Upstream upstream, UpstreamRequest call) {
        return RequestLoop.run(request, () -> {
                    CompletableFuture<UpstreamResponse> head = client.send(upstream, call);
                    ClientGone.cancelOnClose(request, head);
                    return head;
                })
                .exceptionally(e -> {
                    throw ClientGone.left(e) ? ProxyException.clientClosed()
                            : ProxyException.upstreamFailed("'" + upstream.name() + "' is unreachable");
                })
                .thenCompose(r -> r.status() >= 500 ? failed(upstream, r) : CompletableFuture.completedFuture(r));
    }

    private CompletableFuture<UpstreamResponse> failed(Upstream upstream, UpstreamResponse r) {
        return r.bodyBytes().handle((bytes, e) -> {
            throw ProxyException.upstreamFailed("'" + upstream.name() + "' failed with status " + r.status()
                    + UpstreamErrors.detail(json, bytes));
        });
    }

    /**
     * An upstream that answers 404 to a model call no longer has the model (its list changed since the catalog
     * read it): the caller gets the gateway's own "not found", identical to "not permitted".
     */
    private ProxyAnswer relayModelCall(UpstreamResponse r, String model) {
        requireModel(r, model);
        return ProxyAnswer.streamed(status(r), r.contentType(), Map.of(), r.body());
    }

    private static void requireModel(UpstreamResponse r, String model) {
        if (r.status() == 404) {
            r.discard();
            throw ProxyException.modelNotFound(model);
        }
    }

    /**
     * Relays a model call's answer through the usage tap; when the answer ends (or fails, or the client leaves) the
     * reservation settles to the upstream's reported usage, or keeps its estimate when nothing was reported.
     * A non-streaming answer of declared length is read whole and written as one response with its length (one
     * write to the client instead of a chunked stream); a stream is relayed chunk by chunk as it arrives.
     */
    private CompletableFuture<ProxyAnswer> metered(ClientRequest request, UpstreamResponse r,
            String upstreamName, String model, ModelCall call, UpstreamCall sent, boolean streams,
            Reservation reservation, Price price, Supplier<RequestEstimate> estimate, CallRecord record) {
        if (r.status() == 404) {
            reservation.settleMeasured(0, 0); // the upstream served nothing
            requireModel(r, model);
        }
        UsageTap tap = UsageTap.of(r.body(), UsageFormat.of(call.path(), r.contentType()).decoder(sent.stripUsage()));
        int status = r.status();
        boolean whole = !streams && r.contentLength() >= 0 && r.contentLength() <= WHOLE_ANSWER_LIMIT;
        CompletableFuture<Void> ended = tap.result().thenCompose(result -> {
            settle(reservation, result, status, price);
            // a whole answer the upstream broke off reaches the client as a 502, and its row says so
            int shown = whole && result.outcome() == TapResult.Outcome.UPSTREAM_FAILED ? 502 : status;
            if (CallRecord.estimates(status, result)) {
                // a jtokkit count: off the event loop, which may still be writing the answer
                return CompletableFuture.runAsync(() -> record.answered(shown, result, price, estimate, estimator),
                        blocking);
            }
            record.answered(shown, result, price, estimate, estimator);
            return CompletableFuture.completedFuture(null);
        });
        if (!whole) {
            ClientGone.abandonOnClose(request, tap);
            return CompletableFuture.completedFuture(
                    ProxyAnswer.streamed(status(r), r.contentType(), reservation.headers(), tap));
        }
        CompletableFuture<byte[]> bytes = BodyCollector.collect(tap, WHOLE_ANSWER_LIMIT);
        ClientGone.abandonOnClose(request, bytes);
        // the row is recorded before the answer completes, so a failure's row is the answer's, not a refusal's
        return bytes.handle((b, e) -> b).thenCombine(ended, (b, done) -> {
            if (b == null) {
                throw ProxyException.upstreamFailed("'" + upstreamName + "' broke off its answer");
            }
            return ProxyAnswer.whole(status(r), r.contentType(), reservation.headers(), b);
        });
    }

    private static boolean clientClosed(Throwable e) {
        return ProxyException.translate(e) instanceof ProxyException p && p.status() == ProxyException.CLIENT_CLOSED;
    }

    /** Measured usage replaces the estimate; an error answer used nothing; anything else keeps the estimate. */
    private static void settle(Reservation reservation, TapResult result, int status, Price price) {
        Usage usage = result == null ? null : result.usage();
        if (usage != null) {
            reservation.settleMeasured(usage.total(), price.costMicros(usage.promptTokens(), usage.completionTokens()));
        } else if (status >= 400 && result != null && result.outcome() == TapResult.Outcome.COMPLETED) {
            reservation.settleMeasured(0, 0);
        } else {
            reservation.settleUnmeasured();
        }
    }

    /** The upstream's status, or 200 for a code HTTP does not define. */
    private static int status(UpstreamResponse r) {
        try {
            return HttpStatus.valueOf(r.status()).getCode();
        } catch (IllegalArgumentException e) {
            return HttpStatus.OK.getCode();
        }
    }

    private static String accept(ClientRequest request) {
        String accept = request.header(HttpHeaders.ACCEPT);
        return accept == null ? "*/*" : accept;
    }
}
