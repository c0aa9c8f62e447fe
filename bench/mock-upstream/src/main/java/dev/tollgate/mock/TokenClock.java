// Why: a model server emits tokens at a steady rate, and the mock must do the same for 64+ concurrent streams
// without burning a CPU core the gateway under test needs (the benchmark shares one machine). Each event loop keeps
// its due streams in one queue, and a single ticker thread wakes each loop only when something on it is due (at most
// every half millisecond), instead of one timer per token per stream.
//
// The ticker is a plain thread, not a Netty scheduled task: Netty rounds a select timeout to the nearest millisecond,
// so a loop whose next task is under half a millisecond away polls in a busy loop until it is due. With a 1 ms tick
// on the loops themselves, the mock spent half its time in that loop (about 100,000 epoll_wait calls a second at
// 64 streams) and took the CPU away from the gateway it stands in front of.
package dev.tollgate.mock;

import io.netty.channel.EventLoop;

import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

final class TokenClock {
    private static final Map<EventLoop, TokenClock> CLOCKS = new ConcurrentHashMap<>();
    private static final long NOTHING_DUE = Long.MAX_VALUE;
    /** Coalesces wake-ups: streams due within this much of each other are served by one tick. */
    private static final long MIN_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    /** Something that wants to run at a given time on this loop. */
    interface Due {
        long dueNanos();

        /** Runs when due; returns true to stay scheduled (with its new dueNanos()), false when finished. */
        boolean fire();
    }

    private final EventLoop loop;
    private final PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparingLong(Due::dueNanos));
    /** The earliest due time in the queue (written on the loop, read by the ticker). */
    private volatile long nextDue = NOTHING_DUE;
    /** True from the ticker handing a tick to the loop until that tick starts. */
    private final AtomicBoolean dispatched = new AtomicBoolean();

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
        publish();
    }

    private void tick() {
        dispatched.set(false); // before reading the queue: a tick dispatched meanwhile finds nothing and is harmless
        long now = System.nanoTime();
        Due head;
        while ((head = queue.peek()) != null && head.dueNanos() <= now) {
            queue.poll();
            if (head.fire()) {
                queue.add(head);
            }
        }
        publish();
    }

    private void publish() {
        Due head = queue.peek();
        long next = head == null ? NOTHING_DUE : head.dueNanos();
        nextDue = next;
        if (next != NOTHING_DUE) {
            // also when unchanged: the ticker leaves a dispatched clock out of its deadline until its tick has run
            Ticker.INSTANCE.nudge(next);
        }
    }

    /**
     * The one thread that wakes the loops of every mock in the process; it sleeps until the earliest due time of any
     * loop. A closed mock's loops are dropped, never fatal: the thread serves the mocks started after it.
     */
    private static final class Ticker implements Runnable {
        static final Ticker INSTANCE = new Ticker();
        private static final long SCANNING = Long.MIN_VALUE;

        private final Thread thread;
        /** When the ticker will wake by itself ({@link #SCANNING} while it looks at the clocks). */
        private volatile long deadline = SCANNING;

        private Ticker() {
            thread = new Thread(this, "mock-token-clock");
            thread.setDaemon(true);
            thread.start();
        }

        /** Called after a clock's earliest due time changed to {@code due}: wakes the ticker if it would sleep past it. */
        void nudge(long due) {
            long d = deadline;
            if (d == SCANNING || due < d) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            long lastTick = System.nanoTime() - MIN_GAP_NANOS;
            while (true) {
                deadline = SCANNING;
                long now = System.nanoTime();
                if (now - lastTick < MIN_GAP_NANOS) {
                    LockSupport.parkNanos(this, MIN_GAP_NANOS - (now - lastTick));
                    now = System.nanoTime();
                }
                long earliest = NOTHING_DUE;
                boolean ticked = false;
                for (TokenClock clock : CLOCKS.values()) {
                    long due = clock.nextDue;
                    if (clock.loop.isShuttingDown()) {
                        CLOCKS.remove(clock.loop, clock); // its mock was closed: its streams are gone with it
                        continue;
                    }
                    if (due == NOTHING_DUE) {
                        continue;
                    }
                    if (due - now <= 0) {
                        if (clock.dispatched.compareAndSet(false, true)) {
                            try {
                                clock.loop.execute(clock::tick);
                                ticked = true;
                            } catch (RejectedExecutionException e) {
                                CLOCKS.remove(clock.loop, clock); // the loop shut down between the check and here
                            }
                        }
                    } else if (earliest == NOTHING_DUE || due - earliest < 0) {
                        earliest = due;
                    }
                }
                if (ticked) {
                    lastTick = now;
                }
                deadline = earliest;
                if (earliest == NOTHING_DUE) {
                    LockSupport.park(this);
                } else {
                    long wait = earliest - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            }
        }
    }
}
