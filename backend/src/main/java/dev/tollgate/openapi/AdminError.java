// Why: every admin failure has one body shape; the OpenAPI document refers to this schema for it.
package dev.tollgate.openapi;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

@Introspected
@Schema(name = "AdminError", description = "Every admin API failure: {\"error\":{\"message\",\"field\"}}.")
public record AdminError(Detail error) {

    @Introspected
    @Schema(name = "AdminErrorDetail")
    public record Detail(
            @Schema(description = "What went wrong, in a sentence.") String message,
            @Schema(description = "The body member or query parameter at fault, or null.", nullable = true) @Nullable String field) {
    }
}
