// Why: GET /admin/api/requests/{id} shows the row as the list does, plus the prompt when the key logged it.
package dev.tollgate.usage;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/** @param prompt the request body as the client sent it; null when the key does not log prompts or it expired */
@Introspected
public record RequestDetail(@JsonUnwrapped RequestView request, @Nullable String prompt) {
}
