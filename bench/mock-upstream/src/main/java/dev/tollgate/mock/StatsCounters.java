// Contention-free live counters behind MockStats; LongAdder keeps the hot path cheap across event loops.
package dev.tollgate.mock;

import java.util.concurrent.atomic.LongAdder;

final class StatsCounters {
    final LongAdder requests = new LongAdder();
    final LongAdder streamsStarted = new LongAdder();
    final LongAdder streamsCompleted = new LongAdder();
    final LongAdder streamsCancelled = new LongAdder();
    final LongAdder inFlight = new LongAdder();

    MockStats snapshot() {
        return new MockStats(requests.sum(), streamsStarted.sum(), streamsCompleted.sum(),
                streamsCancelled.sum(), inFlight.sum());
    }

    /** Resets the cumulative counters; in_flight is a gauge of live work and is kept. */
    void reset() {
        requests.reset();
        streamsStarted.reset();
        streamsCompleted.reset();
        streamsCancelled.reset();
    }
}
