// Why: one line of the usage report: the labels of its group (a day, a model, a key with its name and tenant,
// a tenant with its name) and the sums of the calls in it.
package dev.tollgate.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** @param labels values of {@link GroupBy#labels()}, in order; a label may be null (a call that named no model) */
public record UsageRow(List<String> labels, UsageSums sums) {

    /** The row as the JSON report shows it: the labels by name, then the sums. */
    public Map<String, Object> asMap(GroupBy groupBy) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(groupBy.labels().get(i), labels.get(i));
        }
        m.putAll(sums.asMap());
        return m;
    }
}
