// Why: embedded mode runs one replica; its key cache only needs the events of its own process.
package dev.tollgate.keys;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Delivers every event to this process's listeners, synchronously. */
public class LocalKeyEvents implements KeyEvents {
    private final List<Consumer<KeyEvent>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(KeyEvent event) {
        deliver(event);
    }

    @Override
    public void subscribe(Consumer<KeyEvent> listener) {
        listeners.add(listener);
    }

    /** Hands {@code event} to every listener; one failing listener does not stop the others. */
    void deliver(KeyEvent event) {
        for (Consumer<KeyEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(LocalKeyEvents.class).warn("keys: a cache listener failed on {}", event, e);
            }
        }
    }
}
