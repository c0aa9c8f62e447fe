// Why: "accepted until a moment, refused from it on, to the second" is checked the same way for expiry, a
// rotation's grace and across replicas: probe until the first refusal, and hold every answer against the clock.
// A 200 proves the server's check ran before the cutoff only if the request was sent before it; a 401 proves the
// cutoff had passed only if its answer came at or after it.
package dev.tollgate.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

public final class Cutoff {
    private Cutoff() {
    }

    /**
     * Probes ({@code probe} answers an HTTP status) until it answers 401, running {@code eachRound} after every
     * probe; fails on any other status, on a 200 sent at or after {@code cutoff}, on a 401 answered before it, or
     * when no 401 comes within {@code timeout}. Answers how long after the cutoff the first 401 was answered.
     */
    public static Duration refusedAfter(Instant cutoff, Duration timeout, IntSupplier probe, Runnable eachRound) {
        Instant[] refused = new Instant[1];
        Await.until("a 401 after " + cutoff, timeout, () -> {
            Instant sent = Instant.now();
            int status = probe.getAsInt();
            Instant answered = Instant.now();
            eachRound.run();
            if (status == 200) {
                assertThat(sent).as("accepted a request sent at %s, after the cutoff %s", sent, cutoff).isBefore(cutoff);
                return false;
            }
            assertThat(status).as("status").isEqualTo(401);
            assertThat(answered).as("refused at %s, before the cutoff %s", answered, cutoff).isAfterOrEqualTo(cutoff);
            refused[0] = answered;
            return true;
        });
        return Duration.between(cutoff, refused[0]);
    }
}
