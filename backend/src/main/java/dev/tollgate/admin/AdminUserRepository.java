// Why: SQL about admin accounts.
package dev.tollgate.admin;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AdminUserRepository extends CrudRepository<AdminUserRow, String> {

    /** The user of a live (unrevoked, unexpired) session, in the same lookup that checks the session. */
    @Query("SELECT u.* FROM admin_users u JOIN admin_sessions s ON s.user_id = u.id "
            + "WHERE s.id = :sessionId AND s.revoked_at IS NULL AND s.expires_at > :now")
    Optional<AdminUserRow> findBySession(String sessionId, Instant now);

    @Query("SELECT * FROM admin_users WHERE lower(username) = lower(:username)")
    Optional<AdminUserRow> findByUsernameIgnoreCase(String username);

    /** Inserts unless the username exists; answers 1 when this call created the row (so one replica wins). */
    @Query("INSERT INTO admin_users (id, username, password_hash, role, tenant_id, created_at, updated_at) "
            + "VALUES (:id, :username, :passwordHash, :role, NULL, :at, :at) ON CONFLICT DO NOTHING")
    long insertIfAbsent(String id, String username, String passwordHash, String role, Instant at);

    @Query("SELECT * FROM admin_users WHERE id > :after ORDER BY id LIMIT :limit")
    List<AdminUserRow> page(String after, int limit);

    @Query("SELECT COUNT(*) > 0 FROM admin_users WHERE lower(username) = lower(:username) AND id <> :exceptId")
    boolean usernameTaken(String username, String exceptId);

    /** Locks every admin's row until the transaction ends, so two changes cannot both remove "the other" admin. */
    @Query("SELECT id FROM admin_users WHERE role = 'admin' ORDER BY id FOR UPDATE")
    List<String> lockAdmins();
}
