// Why: the stored form of a model's price; model_key is the name as lookups see it, model as the admin wrote it.
package dev.tollgate.usage;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;

@MappedEntity("model_prices")
public record PriceRow(
        @Id String modelKey,
        String model,
        BigDecimal inputPerMtok,
        BigDecimal outputPerMtok,
        BigDecimal perRequest,
        Instant updatedAt) {

    public Price price() {
        return new Price(Usd.plain(inputPerMtok), Usd.plain(outputPerMtok), Usd.plain(perRequest));
    }
}
