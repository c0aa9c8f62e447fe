// Why: keys are stored only as HMAC-SHA256 under a server secret, so a leaked table cannot be used to
// authenticate, and the hash is a deterministic index for O(1) lookup.
package dev.tollgate.keys;

import dev.tollgate.storage.ServerSecret;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

@Singleton
public class KeyHasher {
    private final SecretKeySpec key;

    public KeyHasher(ServerSecret secret) {
        this.key = new SecretKeySpec(secret.derive("api-keys"), "HmacSHA256");
    }

    public String hash(String plaintext) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
