// Why: a replica told to stop should finish what it has started and take nothing new. Its listeners are closed first
// (a new connection is refused at connect, see Application.Running); this then closes every kept-alive client
// connection as soon as it has no request in flight, lets an answer under way (an LLM stream may run for minutes)
// finish with "Connection: close", and waits for that, up to a timeout, before the context shuts down. Before, such
// connections were cut off with the context: a stream in flight broke off, and a request on a kept-alive connection
// reached a context whose executors were gone and was answered 500.
package dev.tollgate.web;

import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open client connections of both listeners, each through its {@link IdleReaper}. */
@Singleton
public class ConnectionDrain {
    private final Set<IdleReaper> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    void opened(IdleReaper connection) {
        open.add(connection);
        if (draining) {
            connection.drain();
        }
    }

    void closed(IdleReaper connection) {
        if (open.remove(connection) && draining) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Client connections open now. */
    public int open() {
        return open.size();
    }

    /**
     * Shutdown, once the listeners are closed: every client connection closes when it has no request in flight (an
     * idle one at once, a busy one after the end of its answer), and this waits until all have closed, at most until
     * {@code deadline}. Answers how many are still open then.
     */
    public int drain(Deadline deadline) throws InterruptedException {
        begin();
        return await(deadline);
    }

    /** Tells every connection, and every one opened from now on, to close once it has no request in flight. */
    void begin() {
        draining = true;
        open.forEach(IdleReaper::drain);
    }

    /** Waits until no connection is open, at most until {@code deadline}; answers how many are. */
    int await(Deadline deadline) throws InterruptedException {
        deadline.await(this, open::isEmpty);
        return open.size();
    }
}
