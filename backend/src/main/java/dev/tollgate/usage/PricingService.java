// Why: the admin API's price table: read it, and merge a PUT into it in one transaction, then refresh this
// replica's PriceBook at once (other replicas follow within a second).
package dev.tollgate.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.keys.AllowedModels;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

@Singleton
public class PricingService {
    private final PriceRepository prices;
    private final PriceBook book;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    public PricingService(PriceRepository prices, PriceBook book, TransactionOperations<Connection> transactions,
                          Clock clock) {
        this.prices = prices;
        this.book = book;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The whole table: model name (as the admin last wrote it) → price, ordered by the name as matched. */
    public Map<String, Price> table() {
        Map<String, Price> out = new LinkedHashMap<>();
        for (PriceRow row : prices.all()) {
            out.put(row.model(), row.price());
        }
        return out;
    }

    /** Merges a PUT body (validated as a whole first) into the table and answers the whole table. */
    public Map<String, Price> put(JsonNode body) {
        Map<String, Price> changes = PriceChanges.parse(body);
        Instant now = clock.instant();
        transactions.executeWrite(status -> {
            changes.forEach((model, price) -> {
                String key = AllowedModels.normalize(model);
                if (price == null) {
                    prices.remove(key);
                } else {
                    prices.upsert(key, model, price.inputPerMtok(), price.outputPerMtok(), price.perRequest(), now);
                }
            });
            return null;
        });
        book.reload();
        return table();
    }
}
