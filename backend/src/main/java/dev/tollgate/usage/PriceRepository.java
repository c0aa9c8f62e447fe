// Why: all SQL about model prices in one place.
package dev.tollgate.usage;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PriceRepository extends GenericRepository<PriceRow, String> {

    @Query("SELECT * FROM model_prices ORDER BY model_key")
    List<PriceRow> all();

    /** Sets a model's price; a name matching an existing row (same key) replaces it, display name included. */
    @Query("INSERT INTO model_prices (model_key, model, input_per_mtok, output_per_mtok, per_request, updated_at) "
            + "VALUES (:modelKey, :model, :inputPerMtok, :outputPerMtok, :perRequest, :at) "
            + "ON CONFLICT (model_key) DO UPDATE SET model = EXCLUDED.model, input_per_mtok = EXCLUDED.input_per_mtok, "
            + "output_per_mtok = EXCLUDED.output_per_mtok, per_request = EXCLUDED.per_request, updated_at = EXCLUDED.updated_at")
    long upsert(String modelKey, String model, BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal perRequest,
                Instant at);

    @Query("DELETE FROM model_prices WHERE model_key = :modelKey")
    long remove(String modelKey);
}
