// Why: SQL about admin accounts.
package dev.tollgate.admin;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AdminUserRepository extends CrudRepository<AdminUserRow, String> {

    @Query("SELECT * FROM admin_users WHERE lower(username) = lower(:username)")
    Optional<AdminUserRow> findByUsernameIgnoreCase(String username);

    /** Inserts unless the username exists; answers 1 when this call created the row (so one replica wins). */
    @Query("INSERT INTO admin_users (id, username, password_hash, role, tenant_id, created_at, updated_at) "
            + "VALUES (:id, :username, :passwordHash, :role, NULL, :at, :at) ON CONFLICT DO NOTHING")
    long insertIfAbsent(String id, String username, String passwordHash, String role, Instant at);
}
