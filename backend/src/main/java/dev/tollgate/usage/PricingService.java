// Why: the admin API's price table: read it, and merge a PUT into it in one transaction, then refresh this
// replica's PriceBook at once (other replicas follow within a second). The audit entry holds the prices of the
// models the PUT named, before and after.
package dev.tollgate.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.access.Principal;
import dev.tollgate.audit.AuditAction;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.keys.AllowedModels;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

@Singleton
public class PricingService {
    private final PriceRepository prices;
    private final PriceBook book;
    private final TransactionOperations<Connection> transactions;
    private final AuditLog audit;
    private final Clock clock;

    public PricingService(PriceRepository prices, PriceBook book, TransactionOperations<Connection> transactions,
                          AuditLog audit, Clock clock) {
        this.prices = prices;
        this.book = book;
        this.transactions = transactions;
        this.audit = audit;
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
    public Map<String, Price> put(JsonNode body, Principal principal) {
        principal.requireAdmin();
        Map<String, Price> changes = PriceChanges.parse(body);
        Instant now = clock.instant();
        transactions.executeWrite(status -> {
            Map<String, Price> before = current(changes.keySet());
            changes.forEach((model, price) -> {
                String key = AllowedModels.normalize(model);
                if (price == null) {
                    prices.remove(key);
                } else {
                    prices.upsert(key, model, price.inputPerMtok(), price.outputPerMtok(), price.perRequest(), now);
                }
            });
            audit.record(principal.actor(), AuditAction.PRICING_UPDATE, null, null, before, changes);
            return null;
        });
        book.reload();
        return table();
    }

    /** Each named model's stored price ({@code null} where it has none), under the name as given. */
    private Map<String, Price> current(Collection<String> models) {
        Map<String, Price> stored = prices.all().stream().collect(Collectors.toMap(PriceRow::modelKey, PriceRow::price));
        Map<String, Price> out = new LinkedHashMap<>();
        models.forEach(m -> out.put(m, stored.get(AllowedModels.normalize(m))));
        return out;
    }
}
