// Why: every refusal on the proxy listener (401, 404, 400, 413, 502, ...) is one exception type that the
// dialect's error mapper turns into the contract's status, body and headers.
package dev.tollgate.proxy;

public final class ProxyException extends RuntimeException {
    /** The status logged for a call whose client left before the answer began (nginx's 499); never sent. */
    public static final int CLIENT_CLOSED = 499;
    private final int status;
    private final String type;
    private final String code;
    private final Long retryAfterSeconds;

    public ProxyException(int status, String type, String code, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProxyException badKey() {
        return new ProxyException(401, "authentication_error", "invalid_api_key",
                "Invalid API key. Send a valid Tollgate key as 'Authorization: Bearer sk-tg-...'.", null);
    }

    public static ProxyException modelNotFound(String model) {
        return new ProxyException(404, "invalid_request_error", "model_not_found",
                "The model '" + model + "' does not exist or you do not have access to it.", null);
    }

    public static ProxyException badRequest(String message) {
        return new ProxyException(400, "invalid_request_error", null, message, null);
    }

    public static ProxyException tooLarge(long limit) {
        return new ProxyException(413, "invalid_request_error", "request_too_large",
                "Request body is larger than the limit of " + limit + " bytes.", null);
    }

    public static ProxyException upstreamFailed(String detail) {
        return new ProxyException(502, "api_error", "upstream_error", "The upstream model server " + detail + ".", null);
    }

    /** The client closed its connection before the upstream's answer began. */
    public static ProxyException clientClosed() {
        return new ProxyException(CLIENT_CLOSED, "api_error", "client_closed",
                "The client closed the connection before the answer began.", null);
    }

    public static ProxyException blocked() {
        return new ProxyException(403, "permission_error", "forbidden", "This endpoint is not available through the gateway.", null);
    }

    /** A limit refused the request: 429, as a rate limit (passes with time) or as a spent quota or budget. */
    public static ProxyException limited(dev.tollgate.limits.LimitRefusal refusal) {
        return refusal.isRate()
                ? new ProxyException(429, "rate_limit_error", "rate_limit_exceeded", refusal.getMessage(), refusal.retryAfterSeconds())
                : new ProxyException(429, "insufficient_quota", "insufficient_quota", refusal.getMessage(), refusal.retryAfterSeconds());
    }

    /** Fail mode closed and the limit state is unreachable. */
    public static ProxyException limitStateUnavailable(String message) {
        return new ProxyException(503, "api_error", "service_unavailable", message, 1L);
    }

    /** The request log's buffer is full (its database has been unreachable for long): refuse rather than serve unrecorded. */
    public static ProxyException usageLogFull() {
        return new ProxyException(503, "api_error", "service_unavailable",
                "The gateway cannot record usage right now; retry shortly.", 5L);
    }

    /** The gateway's own exceptions become their refusal; anything else is left alone. */
    public static Throwable translate(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof dev.tollgate.limits.LimitRefusal refusal) {
            return limited(refusal);
        }
        if (e instanceof dev.tollgate.limits.LimitStateUnavailable unavailable) {
            return limitStateUnavailable(unavailable.getMessage());
        }
        return e;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
