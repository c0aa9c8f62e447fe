// Why: the admin API's view of an upstream: {id, name, kind, base_url, has_api_key, weight, enabled}; the api_key
// is write-only, so neither an answer nor an audit entry (which records this view) ever carries it.
package dev.tollgate.upstream;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Introspected;
import java.time.Instant;

@Introspected
public record UpstreamView(
        String id,
        String name,
        String kind,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("has_api_key") boolean hasApiKey,
        int weight,
        boolean enabled,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    static UpstreamView of(UpstreamRow row) {
        return new UpstreamView(row.id(), row.name(), row.kind(), row.baseUrl(), row.apiKey() != null, row.weight(),
                row.enabled(), row.createdAt(), row.updatedAt());
    }
}
