// Why: the admin API's view of one request-log row: every column, ids as strings, times in ISO 8601, cost in USD.
package dev.tollgate.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

@Introspected
public record RequestView(
        String id,
        @JsonProperty("created_at") Instant createdAt,
        String day,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("key_id") String keyId,
        @Nullable String model,
        @Nullable String upstream,
        String endpoint,
        String dialect,
        int status,
        @JsonProperty("prompt_tokens") long promptTokens,
        @JsonProperty("completion_tokens") long completionTokens,
        boolean estimated,
        BigDecimal cost,
        @JsonProperty("ttfb_ms") @Nullable Integer ttfbMs,
        @JsonProperty("total_ms") int totalMs,
        boolean stream,
        @JsonProperty("error_code") @Nullable String errorCode) {

    /** The columns {@link #of} reads, for a SELECT from request_log aliased {@code r}. */
    static final String COLUMNS = "r.request_id, r.created_at, r.day::text, r.tenant_id, r.key_id, r.model, r.upstream, "
            + "r.endpoint, r.dialect, r.status, r.prompt_tokens, r.completion_tokens, r.estimated, r.cost_micros, "
            + "r.ttfb_ms, r.total_ms, r.stream, r.error_code";

    static RequestView of(ResultSet rs) throws SQLException {
        return new RequestView(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getInt(10), rs.getLong(11), rs.getLong(12), rs.getBoolean(13), Usd.ofMicros(rs.getLong(14)),
                rs.getObject(15, Integer.class), rs.getInt(16), rs.getBoolean(17), rs.getString(18));
    }
}
