// Why: a graceful shutdown must not close the request log while a call it served is still settling, and must not wait
// past its deadline for one that never does; the count of calls being served must stay exact (a slot ended twice
// counts once).
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.web.Deadline;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferedUsageSinkServedTest {
    /** No row is recorded here, so the ledger never reaches a database. */
    private final BufferedUsageSink sink = new BufferedUsageSink(new LedgerWriter(null, ZoneOffset.UTC),
            new UsageProperties());

    @AfterEach
    void close() {
        sink.close();
    }

    @Test
    void withNothingServedTheWaitEndsAtOnce() throws Exception {
        assertThat(sink.awaitServed(Deadline.after(Duration.ZERO))).isZero();
        UsageSink.Slot slot = sink.claim();
        slot.release();
        assertThat(sink.awaitServed(Deadline.after(Duration.ZERO))).isZero();
    }

    @Test
    void aCallStillServedAtTheDeadlineIsReportedNotWaitedFor() throws Exception {
        sink.claim();

        long start = System.nanoTime();
        assertThat(sink.awaitServed(Deadline.after(Duration.ofMillis(200)))).isEqualTo(1);
        assertThat(System.nanoTime() - start).as("waited for the deadline")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aSlotEndedTwiceCountsOnce() throws Exception {
        UsageSink.Slot first = sink.claim();
        sink.claim();
        first.release();
        first.release();

        assertThat(sink.awaitServed(Deadline.after(Duration.ZERO))).isEqualTo(1);
    }

    @Test
    void theWaitEndsWhenTheLastCallEndsNotAtTheDeadline() throws Exception {
        UsageSink.Slot early = sink.claim();
        UsageSink.Slot late = sink.claim();
        early.release();
        Thread waiter = Thread.currentThread();
        Thread settle = new Thread(() -> {
            while (waiter.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            late.release();
        });
        settle.start();

        long start = System.nanoTime();
        assertThat(sink.awaitServed(Deadline.after(Duration.ofMinutes(5)))).isZero();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
        settle.join();
    }
}
