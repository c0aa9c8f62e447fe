// Why: the report's defaults and range rules are calendar arithmetic that must hold on any day, including the
// first of a month and leap days; checked here without a server.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.web.FieldError;
import dev.tollgate.web.QueryParams;
import io.micronaut.core.convert.value.MutableConvertibleMultiValuesMap;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageQueryTest {
    private static QueryParams params(String... pairs) {
        MutableConvertibleMultiValuesMap<String> values = new MutableConvertibleMultiValuesMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.add(pairs[i], pairs[i + 1]);
        }
        return QueryParams.of(values, UsageQuery.PARAMS);
    }

    @Test
    void defaultsToTheFirstOfTheMonthThroughToday() {
        UsageQuery q = UsageQuery.parse(params(), LocalDate.parse("2024-02-29"));
        assertThat(q.from()).isEqualTo("2024-02-01");
        assertThat(q.to()).isEqualTo("2024-02-29");
        assertThat(q.groupBy()).isEqualTo(GroupBy.DAY);
        assertThat(q.tenant()).isNull();
        UsageQuery first = UsageQuery.parse(params(), LocalDate.parse("2026-12-01"));
        assertThat(List.of(first.from(), first.to())).containsOnly(LocalDate.parse("2026-12-01"));
    }

    @Test
    void aYearIsTheLongestRange() {
        LocalDate today = LocalDate.parse("2025-01-01");
        assertThat(UsageQuery.parse(params("from", "2024-01-01", "to", "2024-12-31"), today).to()).isEqualTo("2024-12-31");
        assertThatThrownBy(() -> UsageQuery.parse(params("from", "2023-12-31", "to", "2024-12-31"), today))
                .isInstanceOfSatisfying(FieldError.class, e -> assertThat(e.field()).isEqualTo("to"));
        assertThatThrownBy(() -> UsageQuery.parse(params("from", "2023-12-31"), today))
                .as("only from given: from is to blame")
                .isInstanceOfSatisfying(FieldError.class, e -> assertThat(e.field()).isEqualTo("from"));
    }

    @Test
    void everyParameterIsChecked() {
        LocalDate today = LocalDate.parse("2025-01-01");
        Map<String, String[]> cases = Map.of(
                "from", new String[] {"from", "0000-01-01"},
                "to", new String[] {"to", "2024-02-29T00:00"},
                "group_by", new String[] {"group_by", "tenants"},
                "model", new String[] {"model", "x".repeat(513)});
        cases.forEach((field, pair) -> assertThatThrownBy(() -> UsageQuery.parse(params(pair), today))
                .isInstanceOfSatisfying(FieldError.class, e -> assertThat(e.field()).isEqualTo(field)));
        assertThat(UsageQuery.parse(params("group_by", "tenant", "model", "a b:7b"), today).model()).isEqualTo("a b:7b");
    }
}
