// Immutable snapshot of the mock's counters, returned by MockUpstream.stats() and GET /_mock/stats.
package dev.tollgate.mock;

/**
 * @param requests         upstream requests received (control endpoints under /_mock/ are not counted)
 * @param modelCalls       of those, the POSTs: model calls (chat, generate, completions, embeddings, show), not the
 *                         listings and version checks a gateway sends on its own (catalog refreshes, readiness)
 * @param streamsStarted   streaming responses begun
 * @param streamsCompleted streaming responses whose final chunk was written
 * @param streamsCancelled streams whose client closed the connection before the final chunk
 * @param inFlight         requests whose response has not finished yet (a gauge; not reset)
 * @param maxInFlight      the most requests in flight at once since the last reset
 * @param connectionsAccepted connections accepted since the last reset
 * @param connectionsOpen  connections open now (a gauge; not reset)
 */
public record MockStats(long requests, long modelCalls, long streamsStarted, long streamsCompleted,
                        long streamsCancelled, long inFlight, long maxInFlight,
                        long connectionsAccepted, long connectionsOpen) {

    String toJson() {
        return "{\"requests\":" + requests + ",\"model_calls\":" + modelCalls + ",\"streams_started\":" + streamsStarted
                + ",\"streams_completed\":" + streamsCompleted + ",\"streams_cancelled\":" + streamsCancelled
                + ",\"in_flight\":" + inFlight + ",\"max_in_flight\":" + maxInFlight
                + ",\"connections_accepted\":" + connectionsAccepted + ",\"connections_open\":" + connectionsOpen + "}";
    }
}
