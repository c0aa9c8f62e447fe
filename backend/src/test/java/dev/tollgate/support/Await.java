// Why: tests of asynchronous work wait for an observable condition with a deadline, never for a fixed time.
package dev.tollgate.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

public final class Await {
    private Await() {
    }

    /** Polls {@code condition} until it holds; fails with {@code what} when {@code timeout} passes first. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
