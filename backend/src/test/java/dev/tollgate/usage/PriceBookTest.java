// Why: the request path finds a model's price in memory by the names clients actually send (with or without
// Ollama's :latest tag, any case); unknown models are free, and a failed reload must not drop known prices.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PriceBookTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static PriceRow row(String model, String input) {
        return new PriceRow(dev.tollgate.keys.AllowedModels.normalize(model), model, new BigDecimal(input),
                BigDecimal.ZERO, BigDecimal.ZERO, NOW);
    }

    private static final List<PriceRow> ROWS = List.of(
            row("llama3.2", "1"),
            row("qwen2.5:0.5b", "2"),
            row("gpt-4o", "3"),
            row("library/Mistral", "4"),
            row("GPT-4o-Mini", "5"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "llama3.2,             1",
            "llama3.2:latest,      1",
            "LLAMA3.2,             1",
            "Llama3.2:Latest,      1",
            "llama3.2:1b,          0",
            "llama3,               0",
            "qwen2.5:0.5b,         2",
            "qwen2.5,              0",
            "gpt-4o,               3",
            "gpt-4o:latest,        3",
            "gpt-4o-mini,          5",
            "GPT-4o-Mini,          5",
            "library/mistral,      4",
            "library/mistral:latest, 4",
            "mistral,              0",
            "unknown-model,        0",
    })
    void pricesAreFoundByTheNameAsOllamaMatchesIt(String model, String input) {
        PriceIndex index = PriceIndex.of(ROWS);
        assertThat(index.priceOf(model).inputPerMtok()).isEqualByComparingTo(input);
    }

    @Test
    void unknownAndMissingModelsAreFree() {
        assertThat(PriceIndex.of(ROWS).priceOf("nope")).isSameAs(Price.ZERO);
        assertThat(PriceIndex.of(ROWS).priceOf(null)).isSameAs(Price.ZERO);
        assertThat(PriceIndex.EMPTY.priceOf("llama3.2")).isSameAs(Price.ZERO);
    }

    @Test
    void reloadPicksUpChangesAndKeepsKnownPricesWhenTheDatabaseFails() {
        AtomicReference<List<PriceRow>> table = new AtomicReference<>(List.of(row("llama3.2", "1")));
        PriceRepository repository = new PriceRepository() {
            @Override
            public List<PriceRow> all() {
                List<PriceRow> rows = table.get();
                if (rows == null) {
                    throw new IllegalStateException("database down");
                }
                return rows;
            }

            @Override
            public long upsert(String modelKey, String model, BigDecimal in, BigDecimal out, BigDecimal req, Instant at) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long remove(String modelKey) {
                throw new UnsupportedOperationException();
            }
        };
        PriceBook book = new PriceBook(repository);
        assertThat(book.priceOf("llama3.2").inputPerMtok()).isEqualByComparingTo("0");
        book.reload();
        assertThat(book.priceOf("llama3.2:latest").inputPerMtok()).isEqualByComparingTo("1");
        table.set(List.of(row("llama3.2", "1.5")));
        book.reload();
        assertThat(book.priceOf("llama3.2").inputPerMtok()).isEqualByComparingTo("1.5");
        table.set(null);
        book.reload();
        assertThat(book.priceOf("llama3.2").inputPerMtok()).isEqualByComparingTo("1.5");
        table.set(List.of());
        book.reload();
        assertThat(book.priceOf("llama3.2")).isSameAs(Price.ZERO);
    }
}
