// Why: every model call an authenticated caller makes ends as exactly one request-log row, whether it was
// refused, failed upstream, was cut short by the client or ran to its end. This object follows one call from
// authentication to its end and turns what is known by then (the upstream's usage, or Tollgate's own count when
// the upstream reported none) into that row.
package dev.tollgate.proxy;

import dev.tollgate.keys.Caller;
import dev.tollgate.usage.Price;
import dev.tollgate.usage.RequestRecord;
import dev.tollgate.usage.TapResult;
import dev.tollgate.usage.TokenEstimator;
import dev.tollgate.usage.Usage;
import dev.tollgate.usage.UsageSink;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One model call's row in the making; {@link #refused} or {@link #answered} records it, once. */
final class CallRecord {
    private final UsageSink.Slot slot;
    private final String requestId;
    private final Instant createdAt;
    private final long startNanos;
    private final String endpoint;
    private final ModelCall call;
    private final Caller caller;
    private final String model;
    private final boolean stream;
    private final String prompt;
    private volatile String upstream;

    CallRecord(UsageSink.Slot slot, String requestId, Instant createdAt, long startNanos, String endpoint,
               ModelCall call, Caller caller, String model, boolean stream, String prompt) {
        this.slot = slot;
        this.requestId = requestId;
        this.createdAt = createdAt;
        this.startNanos = startNanos;
        this.endpoint = endpoint;
        this.call = call;
        this.caller = caller;
        this.model = model;
        this.stream = stream;
        this.prompt = prompt;
    }

    /** The upstream the call was sent to. */
    void sentTo(String upstreamName) {
        this.upstream = upstreamName;
    }

    /** The call was answered by the gateway itself (a refusal, a 502): no tokens, its status and error code. */
    void refused(Throwable error) {
        Throwable e = ProxyException.translate(error);
        int status = e instanceof ProxyException p ? p.status() : 500;
        String code = e instanceof ProxyException p && p.code() != null ? p.code()
                : e instanceof ProxyException p ? p.type() : "internal_error";
        slot.record(row(status, 0, 0, false, 0, null, code));
    }

    /**
     * The client left before the upstream's answer began. The upstream had the request and may have worked on it,
     * so the row counts the estimated prompt (jtokkit: call it off the event loop) and no output.
     */
    void leftBeforeAnswer(Price price, Supplier<RequestEstimate> estimate) {
        long prompt = estimate.get().promptTokens();
        slot.record(row(ProxyException.CLIENT_CLOSED, prompt, 0, true, price.costMicros(prompt, 0), null, "client_closed"));
    }

    /**
     * The upstream's answer ended. Its reported usage is billed; an error answer (4xx/5xx that ran to its end) used
     * nothing; otherwise Tollgate counts what was delivered and marks the row estimated: the prompt with jtokkit,
     * the output as the generated text of a one-object answer, or one token per streamed output event.
     */
    void answered(int status, TapResult result, Price price, Supplier<RequestEstimate> estimate,
                  TokenEstimator tokens) {
        Usage usage = result.usage();
        boolean estimated = false;
        if (usage == null && !estimates(status, result)) {
            usage = new Usage(0, 0);
        } else if (usage == null) {
            long output = !call.generates() ? 0 : result.text() != null ? tokens.count(result.text()) : result.events();
            usage = new Usage(estimate.get().promptTokens(), output);
            estimated = true;
        }
        Integer ttfb = result.firstChunkNanos().isPresent()
                ? (int) millisSince(result.firstChunkNanos().getAsLong() - startNanos) : null;
        String error = switch (result.outcome()) {
            case COMPLETED -> status >= 400 ? "upstream_status_" + status : null;
            case UPSTREAM_FAILED -> "upstream_failed";
            case CANCELLED -> "client_closed";
        };
        long cost = status >= 400 && usage.total() == 0 ? 0 : price.costMicros(usage.promptTokens(), usage.completionTokens());
        slot.record(row(status, usage.promptTokens(), usage.completionTokens(), estimated, cost, ttfb, error));
    }

    /**
     * Whether the row of this ended answer must count tokens itself (jtokkit: too slow for an event loop): the
     * upstream reported no usage and the answer was not an error that ran to its end.
     */
    static boolean estimates(int status, TapResult result) {
        return result.usage() == null && !(status >= 400 && result.outcome() == TapResult.Outcome.COMPLETED);
    }

    private RequestRecord row(int status, long promptTokens, long completionTokens, boolean estimated, long cost,
                              Integer ttfbMs, String errorCode) {
        int total = (int) millisSince(System.nanoTime() - startNanos);
        return new RequestRecord(requestId, createdAt, caller.tenantId(), caller.keyId(), model, upstream, endpoint,
                call.dialect().label(), status, promptTokens, completionTokens,
                estimated, cost, ttfbMs, total, stream, errorCode, prompt);
    }

    private static long millisSince(long elapsedNanos) {
        return Math.max(0, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(elapsedNanos)));
    }
}
