// Why: what an admission reserves before the upstream has answered: the prompt's tokens (estimated) plus the most
// output the request may produce (its own cap, or TOLLGATE_DEFAULT_MAX_TOKENS). Settlement later replaces both by
// the upstream's own counts.
package dev.tollgate.proxy;

import dev.tollgate.usage.TokenEstimator;

/** Pure apart from the estimator: {@code promptTokens} and {@code outputTokens} to reserve. */
public record RequestEstimate(long promptTokens, long outputTokens, boolean outputCapGiven) {
    /** Chat formats spend a few tokens per message on roles and separators (OpenAI's counting guide: 3). */
    static final int TOKENS_PER_MESSAGE = 3;

    public static RequestEstimate of(RequestInspector.Inspected body, ModelCall call, long defaultMaxTokens,
                                     TokenEstimator estimator) {
        long prompt = estimator.count(body.promptText()) + body.promptTokenIds()
                + (long) TOKENS_PER_MESSAGE * body.messages();
        long output = !call.generates() ? 0 : body.maxOutput() != null ? body.maxOutput() : defaultMaxTokens;
        return new RequestEstimate(prompt, output, body.maxOutput() != null);
    }

    public long total() {
        return promptTokens + outputTokens;
    }

    /**
     * The estimate of a request, computed on first use only (a caller without limits never needs it, and counting
     * a prompt's tokens is the costliest step of an admission). Used along one request's chain of futures, which
     * orders its accesses.
     */
    static final class Lazy implements java.util.function.Supplier<RequestEstimate> {
        private final RequestInspector.Inspected body;
        private final ModelCall call;
        private final long defaultMaxTokens;
        private final TokenEstimator estimator;
        private RequestEstimate value;

        Lazy(RequestInspector.Inspected body, ModelCall call, long defaultMaxTokens, TokenEstimator estimator) {
            this.body = body;
            this.call = call;
            this.defaultMaxTokens = defaultMaxTokens;
            this.estimator = estimator;
        }

        @Override
        public RequestEstimate get() {
            if (value == null) {
                value = of(body, call, defaultMaxTokens, estimator);
            }
            return value;
        }
    }
}
