// Why: keys are stored only as HMAC-SHA256 under a server secret, so a leaked table cannot be used to
// authenticate, and the hash is a deterministic index for O(1) lookup.
package dev.tollgate.keys;

import dev.tollgate.storage.Hmac;
import dev.tollgate.storage.ServerSecret;
import jakarta.inject.Singleton;
import java.util.HexFormat;

@Singleton
public class KeyHasher {
    private final Hmac hmac;

    public KeyHasher(ServerSecret secret) {
        this.hmac = new Hmac(secret.derive("api-keys"));
    }

    public String hash(String plaintext) {
        return HexFormat.of().formatHex(hmac.sign(plaintext));
    }
}
