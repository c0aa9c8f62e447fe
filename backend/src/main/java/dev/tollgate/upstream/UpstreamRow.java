// Why: the stored form of an upstream server.
package dev.tollgate.upstream;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

@MappedEntity("upstreams")
public record UpstreamRow(
        @Id String id,
        String name,
        String kind,
        String baseUrl,
        @Nullable String apiKey,
        int weight,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {
}
