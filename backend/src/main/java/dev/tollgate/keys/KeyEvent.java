// Why: a change that makes cached keys wrong is announced to every replica as one small message: drop one key
// (by its hash, the cache's key) or drop every cached key of a tenant. The wire form is plain text so any Redis
// client can read it.
package dev.tollgate.keys;

import java.util.Optional;

/** What a replica must drop from its key cache. */
public record KeyEvent(Kind kind, String id) {
    public enum Kind {
        /** One key, named by its keyed hash. */
        KEY,
        /** Every key of a tenant, named by the tenant's id. */
        TENANT
    }

    public static KeyEvent key(String keyHash) {
        return new KeyEvent(Kind.KEY, keyHash);
    }

    public static KeyEvent tenant(String tenantId) {
        return new KeyEvent(Kind.TENANT, tenantId);
    }

    /** {@code key:<hash>} or {@code tenant:<id>}. */
    public String wire() {
        return (kind == Kind.KEY ? "key:" : "tenant:") + id;
    }

    /** The event of a message, or empty for a message this version does not know. */
    public static Optional<KeyEvent> parse(String message) {
        if (message == null) {
            return Optional.empty();
        }
        if (message.startsWith("key:") && message.length() > 4) {
            return Optional.of(key(message.substring(4)));
        }
        if (message.startsWith("tenant:") && message.length() > 7) {
            return Optional.of(tenant(message.substring(7)));
        }
        return Optional.empty();
    }
}
