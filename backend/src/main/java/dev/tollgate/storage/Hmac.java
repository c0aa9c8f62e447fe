// Why: HMAC-SHA256 runs on every proxied request (key hashing); Mac.getInstance is a provider lookup, so each
// thread keeps its own initialised Mac per key.
package dev.tollgate.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A reusable HMAC-SHA256 under one key; thread-safe. */
public final class Hmac {
    private final ThreadLocal<Mac> macs;

    public Hmac(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    public byte[] sign(String message) {
        return macs.get().doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
