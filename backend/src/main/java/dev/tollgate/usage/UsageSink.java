// Why: the seam between the request path and the usage ledger. A call claims room in the ledger's buffer before
// it is served, so a call that was served can always be recorded: when the buffer is full (the database has been
// down for long), new calls are refused instead of served unrecorded.
package dev.tollgate.usage;

/**
 * Where finished calls are recorded. {@link #claim()} never blocks and never does I/O; the recorded rows are
 * written later, off the request path, in batches, idempotently on the request id.
 */
public interface UsageSink {
    /** Room for one row, or null when the buffer is full (the call must then be refused with 503). */
    Slot claim();

    /** Room held for one call until its row is recorded (or the call turns out to need none). */
    interface Slot {
        /** Queues the call's row; a slot records at most once, later calls do nothing. */
        void record(RequestRecord row);

        /** Gives the room back without recording (a call refused before anything about it is worth a row). */
        void release();
    }
}
