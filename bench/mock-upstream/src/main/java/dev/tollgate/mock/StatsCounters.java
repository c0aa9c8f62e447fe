// Contention-free live counters behind MockStats; LongAdder keeps the hot path cheap across event loops.
package dev.tollgate.mock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

final class StatsCounters {
    final LongAdder requests = new LongAdder();
    /** The POSTs among the requests: model calls, not a gateway's own listings and version checks. */
    final LongAdder modelCalls = new LongAdder();
    final LongAdder streamsStarted = new LongAdder();
    final LongAdder streamsCompleted = new LongAdder();
    final LongAdder streamsCancelled = new LongAdder();
    final AtomicLong inFlight = new AtomicLong();
    /** The most requests in flight at once since the last reset (how tests check a gateway's concurrency limit). */
    final AtomicLong maxInFlight = new AtomicLong();
    /** Connections accepted since the last reset (how tests see whether a client reused one or opened another). */
    final LongAdder connectionsAccepted = new LongAdder();
    /** Connections open now (a gauge; not reset). */
    final AtomicLong connectionsOpen = new AtomicLong();

    void started() {
        long now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    MockStats snapshot() {
        return new MockStats(requests.sum(), modelCalls.sum(), streamsStarted.sum(), streamsCompleted.sum(),
                streamsCancelled.sum(), inFlight.get(), maxInFlight.get(), connectionsAccepted.sum(), connectionsOpen.get());
    }

    /** Resets the cumulative counters; in_flight and the open connections are gauges of live state and are kept. */
    void reset() {
        requests.reset();
        modelCalls.reset();
        streamsStarted.reset();
        streamsCompleted.reset();
        streamsCancelled.reset();
        connectionsAccepted.reset();
        maxInFlight.set(inFlight.get());
    }
}
