// Why: SQL about admin sessions, and the password column a password change writes.
package dev.tollgate.sessions;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SessionRepository extends CrudRepository<SessionRow, String> {

    @Query("UPDATE admin_sessions SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    long revoke(String id, Instant at);

    /** Revokes every live session of the user but {@code exceptId} ("" for none). */
    @Query("UPDATE admin_sessions SET revoked_at = :at WHERE user_id = :userId AND revoked_at IS NULL AND id <> :exceptId")
    long revokeAllOf(String userId, String exceptId, Instant at);

    /** Forgets the user's sessions that ended before {@code cutoff} (expired or revoked). */
    @Query("DELETE FROM admin_sessions WHERE user_id = :userId AND (expires_at < :cutoff OR revoked_at < :cutoff)")
    long deleteEnded(String userId, Instant cutoff);

    @Query("UPDATE admin_users SET password_hash = :passwordHash, updated_at = :at WHERE id = :userId")
    long setPassword(String userId, String passwordHash, Instant at);
}
