// Why: admin sessions are signed, expiring tokens, so any replica can check one without shared session state.
package dev.tollgate.admin;

import dev.tollgate.storage.Hmac;
import dev.tollgate.storage.ServerSecret;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Issues and verifies tokens of the form {@code tg1.<userId>.<expiryEpochSeconds>.<signature>}. */
@Singleton
public class SessionTokens {
    static final Duration LIFETIME = Duration.ofHours(12);
    private final Hmac hmac;
    private final Clock clock;

    public SessionTokens(ServerSecret secret, Clock clock) {
        this.hmac = new Hmac(secret.derive("admin-sessions"));
        this.clock = clock;
    }

    public record Issued(String token, Instant expiresAt) {
    }

    public Issued issue(String userId) {
        Instant expires = clock.instant().plus(LIFETIME);
        String payload = "tg1." + userId + "." + expires.getEpochSecond();
        return new Issued(payload + "." + sign(payload), expires);
    }

    /** The user id of a valid, unexpired token. */
    public Optional<String> verify(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        int last = token.lastIndexOf('.');
        if (last < 0) {
            return Optional.empty();
        }
        String payload = token.substring(0, last);
        byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String[] parts = payload.split("\\.");
        if (parts.length != 3 || !parts[0].equals("tg1")) {
            return Optional.empty();
        }
        try {
            if (clock.instant().getEpochSecond() >= Long.parseLong(parts[2])) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    private String sign(String payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac.sign(payload));
    }
}
