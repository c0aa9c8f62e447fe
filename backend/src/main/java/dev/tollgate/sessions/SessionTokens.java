// Why: an admin session token names its server-side session and carries its expiry under a signature, so a forged,
// altered or expired token is refused before any database lookup; the CSRF value of a cookie session is derived
// from the session id under another key, so it needs no storage and cannot be computed without the secret.
package dev.tollgate.sessions;

import dev.tollgate.storage.Hmac;
import dev.tollgate.storage.ServerSecret;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Signs and checks tokens of the form {@code tg2.<sessionId>.<expiryEpochSeconds>.<signature>}. */
@Singleton
public class SessionTokens {
    private static final String VERSION = "tg2";
    private final Hmac tokens;
    private final Hmac csrf;
    private final Clock clock;

    public SessionTokens(ServerSecret secret, Clock clock) {
        this.tokens = new Hmac(secret.derive("admin-sessions"));
        this.csrf = new Hmac(secret.derive("admin-csrf"));
        this.clock = clock;
    }

    public String sign(String sessionId, Instant expires) {
        String payload = VERSION + "." + sessionId + "." + expires.getEpochSecond();
        return payload + "." + encode(tokens.sign(payload));
    }

    /** The session id of a well-signed, unexpired token (whether the session still stands is not checked here). */
    public Optional<String> verify(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        int last = token.lastIndexOf('.');
        if (last < 0) {
            return Optional.empty();
        }
        String payload = token.substring(0, last);
        if (!equal(encode(tokens.sign(payload)), token.substring(last + 1))) {
            return Optional.empty();
        }
        String[] parts = payload.split("\\.");
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
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

    /** The CSRF value bound to a session: what the {@code tollgate_csrf} cookie holds. */
    public String csrf(String sessionId) {
        return encode(csrf.sign(sessionId));
    }

    /** Whether {@code presented} is the session's CSRF value (compared in constant time). */
    public boolean csrfMatches(String sessionId, String presented) {
        return presented != null && equal(csrf(sessionId), presented);
    }

    private static boolean equal(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(byte[] mac) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }
}
