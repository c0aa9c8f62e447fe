// Why: SQL about upstreams.
package dev.tollgate.upstream;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UpstreamRepository extends CrudRepository<UpstreamRow, String> {

    @Query("SELECT * FROM upstreams WHERE enabled ORDER BY id")
    List<UpstreamRow> enabled();

    @Query("SELECT * FROM upstreams WHERE id > :after ORDER BY id LIMIT :limit")
    List<UpstreamRow> page(String after, int limit);

    @Query("SELECT COUNT(*) > 0 FROM upstreams WHERE lower(name) = lower(:name) AND id <> :exceptId")
    boolean nameTaken(String name, String exceptId);

    /** Creates the default upstream unless any upstream exists (first start of a fleet; one replica wins). */
    @Query("INSERT INTO upstreams (id, name, kind, base_url, api_key, weight, enabled, created_at, updated_at) "
            + "SELECT :id, 'default', 'ollama', :baseUrl, NULL, 1, TRUE, :at, :at "
            + "WHERE NOT EXISTS (SELECT 1 FROM upstreams) ON CONFLICT DO NOTHING")
    long insertDefaultIfNone(String id, String baseUrl, Instant at);
}
