// Why: on SIGTERM or SIGINT the JVM runs every shutdown hook at once, in no order, and the embedded database's
// library registers a hook of its own: it stopped Postgres while the gateway was still writing its buffered request
// log, so those rows were lost and the shutdown waited out the drain timeout. Handling the two signals here closes the
// gateway in order (its context, whose request log drains, then the database it owns) before the JVM exits and runs
// the hooks, which by then find everything closed.
package dev.tollgate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

final class ShutdownSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    /** From now on SIGTERM and SIGINT close {@code running} and then exit with 128 + the signal's number. */
    static void install(Application.Running running) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    running.close();
                    System.exit(128 + signal.getNumber());
                });
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal to itself (-Xrs): the shutdown hook still closes the gateway
                LOG.warn("SIG{} is not handled here ({}); the shutdown hook closes the gateway", name, e.getMessage());
            }
        }
    }
}
