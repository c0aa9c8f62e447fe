// Why: the limit engine needs a model's price on every request without a database call; this keeps the table
// in memory and reloads it every second (and at once after an admin change on this replica), so a change
// reaches every replica within the contract's 2 s.
package dev.tollgate.usage;

import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prices by model name, answered from memory. Eager ({@code @Context}) so the first request never waits for it. */
@Context
public class PriceBook {
    private static final Logger LOG = LoggerFactory.getLogger(PriceBook.class);
    private final PriceRepository repository;
    private volatile PriceIndex index = PriceIndex.EMPTY;

    public PriceBook(PriceRepository repository) {
        this.repository = repository;
    }

    @PostConstruct
    void init() {
        reload();
    }

    /**
     * The price of {@code model}: its exact name, else the name as Ollama matches it ({@code llama3.2} ≡
     * {@code llama3.2:latest}, case-insensitive), else {@link Price#ZERO} (unpriced models, e.g. local ones, are
     * free). Never blocks, never touches the database.
     */
    public Price priceOf(String model) {
        return index.priceOf(model);
    }

    /** Reads the table again; on failure the prices already known stay in force. */
    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    public void reload() {
        try {
            index = PriceIndex.of(repository.all());
        } catch (RuntimeException e) {
            LOG.warn("Could not reload model prices, keeping {} known ones: {}", index.size(), e.getMessage());
        }
    }
}
