// Why: every admin route can fail the same ways; one annotation documents those answers on a controller so the
// OpenAPI document shows the error shape everywhere without repeating it on every method.
package dev.tollgate.openapi;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ApiResponse(responseCode = "400", description = "Invalid input; `field` names the member or parameter.",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdminError.class)))
@ApiResponse(responseCode = "401", description = "No valid session.",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdminError.class)))
@ApiResponse(responseCode = "403", description = "The caller's role may not do this.",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdminError.class)))
@ApiResponse(responseCode = "404", description = "No such object, or one the caller may not see.",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdminError.class)))
@ApiResponse(responseCode = "413", description = "Body larger than TOLLGATE_ADMIN_MAX_BODY_BYTES.",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdminError.class)))
public @interface AdminErrors {
}
