// Why: a graceful shutdown waits for several things in turn (the client connections, then the calls still settling)
// within one time limit; each wait is a monitor wait that ends when the thing it waits for is done, or at the common
// deadline, whichever comes first.
package dev.tollgate.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A point in time (on {@link System#nanoTime()}) shared by several waits. */
public final class Deadline {
    private final long atNanos;

    private Deadline(long atNanos) {
        this.atNanos = atNanos;
    }

    /** The deadline {@code timeout} from now. */
    public static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    /**
     * Waits on {@code monitor} until {@code done} holds or the deadline has passed; whoever makes {@code done} hold
     * must {@code notifyAll} on {@code monitor}. Answers whether {@code done} held.
     */
    public boolean await(Object monitor, BooleanSupplier done) throws InterruptedException {
        synchronized (monitor) {
            while (!done.getAsBoolean()) {
                long left = atNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
            return true;
        }
    }
}
