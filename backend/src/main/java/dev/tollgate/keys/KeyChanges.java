// Why: a replica that drops a cached key before the change commits may reload the old row and keep serving it
// for a whole TTL; so services announce key and tenant changes here, and the event goes out only once the
// surrounding transaction has committed (and never if it rolls back).
package dev.tollgate.keys;

import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.Optional;

/** Publishes {@link KeyEvent}s after the current transaction commits (at once when there is none). */
@Singleton
public class KeyChanges {
    private final KeyEvents events;
    private final TransactionOperations<Connection> transactions;

    public KeyChanges(KeyEvents events, TransactionOperations<Connection> transactions) {
        this.events = events;
        this.transactions = transactions;
    }

    /** The key with this hash changed (revoked, rotated out, patched). */
    public void key(String keyHash) {
        afterCommit(KeyEvent.key(keyHash));
    }

    /** The tenant changed (disabled, patched, deleted): every cached key of it must be read again. */
    public void tenant(String tenantId) {
        afterCommit(KeyEvent.tenant(tenantId));
    }

    private void afterCommit(KeyEvent event) {
        Optional<? extends TransactionStatus<?>> tx = transactions.findTransactionStatus();
        if (tx.isEmpty()) {
            events.publish(event);
            return;
        }
        tx.get().registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                events.publish(event);
            }
        });
    }
}
