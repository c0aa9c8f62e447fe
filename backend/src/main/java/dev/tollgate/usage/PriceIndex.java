// Why: the request path looks a model's price up in memory; this is that lookup (exact name first, then the name
// as Ollama matches it), kept pure so it is tested without a database.
package dev.tollgate.usage;

import dev.tollgate.keys.AllowedModels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An immutable snapshot of the price table. */
final class PriceIndex {
    static final PriceIndex EMPTY = new PriceIndex(Map.of(), Map.of());
    private final Map<String, Price> byName;
    private final Map<String, Price> byKey;

    private PriceIndex(Map<String, Price> byName, Map<String, Price> byKey) {
        this.byName = byName;
        this.byKey = byKey;
    }

    static PriceIndex of(List<PriceRow> rows) {
        Map<String, Price> byName = new HashMap<>();
        Map<String, Price> byKey = new HashMap<>();
        for (PriceRow row : rows) {
            Price price = row.price();
            byName.put(row.model(), price);
            byKey.put(row.modelKey(), price);
        }
        return new PriceIndex(Map.copyOf(byName), Map.copyOf(byKey));
    }

    /**
     * The price of {@code model}: by its exact name, else by its normalised name (lower case, {@code :latest} added
     * when it has no tag, so {@code llama3.2} and {@code llama3.2:latest} are one model), else {@link Price#ZERO}.
     */
    Price priceOf(String model) {
        if (model == null) {
            return Price.ZERO;
        }
        Price exact = byName.get(model);
        if (exact != null) {
            return exact;
        }
        return byKey.isEmpty() ? Price.ZERO : byKey.getOrDefault(AllowedModels.normalize(model), Price.ZERO);
    }

    int size() {
        return byKey.size();
    }
}
