// Why: the usage report's four groupings differ only in the columns they group by, label and sort on; naming
// them once keeps the SQL, the JSON rows and the CSV header in step.
package dev.tollgate.usage;

import dev.tollgate.web.FieldError;
import java.util.Arrays;
import java.util.List;

/** How report rows are grouped: the label columns a row carries, and the SQL that produces them. */
public enum GroupBy {
    DAY("day", List.of("day"),
            "SELECT day::text, " + GroupBy.SUMS + " FROM usage_daily u WHERE %s GROUP BY day ORDER BY day"),
    MODEL("model", List.of("model"),
            "SELECT NULLIF(model, ''), " + GroupBy.SUMS + " FROM usage_daily u WHERE %s GROUP BY model " + GroupBy.BIGGEST_FIRST + ", 1"),
    KEY("key", List.of("key_id", "key_name", "tenant_id"),
            "SELECT g.key_id, k.name, g.tenant_id, g.requests, g.errors, g.prompt_tokens, g.completion_tokens, g.cost_micros "
                    + "FROM (SELECT key_id, tenant_id, " + GroupBy.SUMS + " FROM usage_daily u WHERE %s "
                    + "GROUP BY key_id, tenant_id) g LEFT JOIN api_keys k ON k.id = g.key_id " + GroupBy.BIGGEST_FIRST + ", 1"),
    TENANT("tenant", List.of("tenant_id", "tenant_name"),
            "SELECT g.tenant_id, t.name, g.requests, g.errors, g.prompt_tokens, g.completion_tokens, g.cost_micros "
                    + "FROM (SELECT tenant_id, " + GroupBy.SUMS + " FROM usage_daily u WHERE %s GROUP BY tenant_id) g "
                    + "LEFT JOIN tenants t ON t.id = g.tenant_id " + GroupBy.BIGGEST_FIRST + ", 1");

    private static final String SUMS = "sum(requests)::bigint AS requests, sum(errors)::bigint AS errors, "
            + "sum(prompt_tokens)::bigint AS prompt_tokens, sum(completion_tokens)::bigint AS completion_tokens, "
            + "sum(cost_micros)::bigint AS cost_micros";
    /** Spenders first; ties by requests, then by the first label (calls that named no model last): a stable order. */
    private static final String BIGGEST_FIRST = "ORDER BY cost_micros DESC, requests DESC";

    private final String param;
    private final List<String> labels;
    private final String sql;

    GroupBy(String param, List<String> labels, String sql) {
        this.param = param;
        this.labels = labels;
        this.sql = sql;
    }

    /** The {@code group_by} value, e.g. {@code day}. */
    public String param() {
        return param;
    }

    /** The label columns of a row, in order; the SQL selects them first, then the five sums. */
    public List<String> labels() {
        return labels;
    }

    /** The query for rows matching {@code where} (a condition on usage_daily aliased {@code u}). */
    String sql(String where) {
        return String.format(sql, where);
    }

    /** The grouping named by a {@code group_by} value; null means the default, {@code day}. */
    public static GroupBy parse(String value) {
        if (value == null) {
            return DAY;
        }
        return Arrays.stream(values()).filter(g -> g.param.equals(value)).findFirst()
                .orElseThrow(() -> new FieldError("group_by", "must be one of day, model, key, tenant"));
    }
}
