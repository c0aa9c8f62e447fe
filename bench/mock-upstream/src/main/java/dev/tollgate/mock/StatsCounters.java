// Contention-free live counters behind MockStats; LongAdder keeps the hot path cheap across event loops.
package dev.tollgate.mock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

final class StatsCounters {
    final LongAdder requests = new LongAdder();
    final LongAdder streamsStarted = new LongAdder();
    final LongAdder streamsCompleted = new LongAdder();
    final LongAdder streamsCancelled = new LongAdder();
    final AtomicLong inFlight = new AtomicLong();
    /** The most requests in flight at once since the last reset (how tests check a gateway's concurrency limit). */
    final AtomicLong maxInFlight = new AtomicLong();

    void started() {
        long now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    MockStats snapshot() {
        return new MockStats(requests.sum(), streamsStarted.sum(), streamsCompleted.sum(),
                streamsCancelled.sum(), inFlight.get(), maxInFlight.get());
    }

    /** Resets the cumulative counters; in_flight is a gauge of live work and is kept. */
    void reset() {
        requests.reset();
        streamsStarted.reset();
        streamsCompleted.reset();
        streamsCancelled.reset();
        maxInFlight.set(inFlight.get());
    }
}
