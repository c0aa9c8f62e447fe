// Why: all SQL about API keys in one place; authentication looks a key up by its hash (unique index).
package dev.tollgate.keys;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface KeyRepository extends CrudRepository<KeyRow, String> {

    Optional<KeyRow> findByKeyHash(String keyHash);

    /** The keys among {@code keyHashes} (the cache's background reload: one query for many keys). */
    List<KeyRow> findByKeyHashIn(java.util.Collection<String> keyHashes);

    @Query("SELECT * FROM api_keys WHERE tenant_id = :tenantId AND id > :after ORDER BY id LIMIT :limit")
    List<KeyRow> pageForTenant(String tenantId, String after, int limit);

    /** Revokes every key of the tenant now, rotated-out keys still in their grace included. */
    @Query("UPDATE api_keys SET revoked_at = :at, updated_at = :at WHERE tenant_id = :tenantId"
            + " AND (revoked_at IS NULL OR revoked_at > :at)")
    void revokeAllOfTenant(String tenantId, Instant at);
}
