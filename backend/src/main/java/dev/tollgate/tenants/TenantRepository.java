// Why: all SQL about tenants in one place.
package dev.tollgate.tenants;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantRepository extends CrudRepository<TenantRow, String> {

    Optional<TenantRow> findByIdAndDeletedAtIsNull(String id);

    List<TenantRow> findByIdInAndDeletedAtIsNull(java.util.Collection<String> ids);

    @Query("SELECT * FROM tenants WHERE deleted_at IS NULL AND id > :after ORDER BY id LIMIT :limit")
    List<TenantRow> page(String after, int limit);

    @Query("SELECT COUNT(*) > 0 FROM tenants WHERE deleted_at IS NULL AND lower(name) = lower(:name) AND id <> :exceptId")
    boolean nameTaken(String name, String exceptId);
}
