// Why: admin sessions live in the database so that logging out, changing a password or an administrator's reset
// ends them on every replica at once; a token is checked for signature and expiry first (no lookup for forgeries),
// then for its row. User management calls revokeAll when it resets a password or removes a user.
package dev.tollgate.sessions;

import dev.tollgate.admin.AdminUserRepository;
import dev.tollgate.admin.AdminUserRow;
import dev.tollgate.storage.Ids;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

@Singleton
public class AdminSessions {
    private final SessionRepository sessions;
    private final AdminUserRepository users;
    private final SessionTokens tokens;
    private final Duration ttl;
    private final Clock clock;

    public AdminSessions(SessionRepository sessions, AdminUserRepository users, SessionTokens tokens,
                         SessionProperties properties, Clock clock) {
        this.sessions = sessions;
        this.users = users;
        this.tokens = tokens;
        this.ttl = properties.getTtl();
        this.clock = clock;
    }

    /** A new session: its id, the bearer token naming it, the CSRF value for its cookie, and its end. */
    public record Opened(String id, String token, String csrf, Instant expiresAt) {
    }

    /** A live session and its user, as read with it. */
    public record Session(String id, AdminUserRow user) {
    }

    public Duration ttl() {
        return ttl;
    }

    /** Blocking: starts a session for the user (and forgets the user's sessions that ended a lifetime ago). */
    public Opened open(String userId) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String id = Ids.next("ses");
        sessions.deleteEnded(userId, now.minus(ttl));
        sessions.save(new SessionRow(id, userId, now, expires, null));
        return new Opened(id, tokens.sign(id, expires), tokens.csrf(id), expires);
    }

    /** Blocking: the session a token names, when it is well signed, unexpired, unrevoked and its user exists. */
    public Optional<Session> verify(@Nullable String token) {
        return tokens.verify(token)
                .flatMap(id -> users.findBySession(id, clock.instant()).map(user -> new Session(id, user)));
    }

    /** Whether {@code presented} is the CSRF value of the session. */
    public boolean csrfMatches(String sessionId, @Nullable String presented) {
        return tokens.csrfMatches(sessionId, presented);
    }

    /** Blocking: ends one session; its token is refused everywhere from now on. */
    public void revoke(String sessionId) {
        sessions.revoke(sessionId, clock.instant());
    }

    /** Blocking: ends every session of the user but {@code exceptSessionId}; answers how many were ended. */
    public long revokeAll(String userId, @Nullable String exceptSessionId) {
        return sessions.revokeAllOf(userId, exceptSessionId == null ? "" : exceptSessionId, clock.instant());
    }

    /**
     * Blocking: stores the user's new password hash and ends the user's other sessions, in one transaction (the
     * password never changes while an old session lives on).
     */
    @Transactional
    public void changePassword(String userId, String passwordHash, @Nullable String keepSessionId) {
        sessions.setPassword(userId, passwordHash, clock.instant());
        revokeAll(userId, keepSessionId);
    }
}
