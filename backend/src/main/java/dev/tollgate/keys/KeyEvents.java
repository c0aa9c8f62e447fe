// Why: revocations and key or tenant changes must reach every replica's key cache within 2 s (contract). The
// transport is a seam: Redis pub/sub when replicas share Redis, this process only in embedded mode.
package dev.tollgate.keys;

import java.util.function.Consumer;

/** Carries {@link KeyEvent}s to the key cache of this replica and, where there are others, of every replica. */
public interface KeyEvents extends AutoCloseable {
    /** Delivers to this replica's listeners at once and sends to the other replicas (best effort). */
    void publish(KeyEvent event);

    /** Adds a listener; it runs on whatever thread delivers the event and must be quick. */
    void subscribe(Consumer<KeyEvent> listener);

    /** Stops receiving (at shutdown). */
    @Override
    default void close() {
    }
}
