// Why: a model server emits tokens at a steady rate, and the mock must do the same for 64+ concurrent streams
// without burning a CPU core the gateway under test needs (the benchmark shares one machine). One ticker per event
// loop (every millisecond, only while streams are pending) emits every token that is due, instead of one timer
// wake-up per token per stream.
package dev.tollgate.mock;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

final class TokenClock {
    private static final Map<EventLoop, TokenClock> CLOCKS = new ConcurrentHashMap<>();
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Something that wants to run at a given time on this loop. */
    interface Due {
        long dueNanos();

        /** Runs when due; returns true to stay scheduled (with its new dueNanos()), false when finished. */
        boolean fire();
    }

    private final EventLoop loop;
    private final PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparingLong(Due::dueNanos));
    private ScheduledFuture<?> ticker;

    private TokenClock(EventLoop loop) {
        this.loop = loop;
    }

    /** The clock of {@code loop}; must be used from that loop only. */
    static TokenClock of(EventLoop loop) {
        return CLOCKS.computeIfAbsent(loop, TokenClock::new);
    }

    /** Schedules {@code due} (call on the clock's loop). */
    void add(Due due) {
        queue.add(due);
        if (ticker == null) {
            ticker = loop.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        Due head;
        while ((head = queue.peek()) != null && head.dueNanos() <= now) {
            queue.poll();
            if (head.fire()) {
                queue.add(head);
            }
        }
        if (queue.isEmpty() && ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }
}
