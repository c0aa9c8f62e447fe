// Why: the admin API is described by an OpenAPI document generated from the controllers at build time; this
// class names it and declares how callers authenticate (a bearer session token from POST /admin/api/login).
package dev.tollgate.openapi;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

@OpenAPIDefinition(
        info = @Info(title = "Tollgate admin API", version = "1",
                description = "Tenants, keys, limits, pricing, usage and audit of a Tollgate gateway. Served on the admin "
                        + "listener only. Log in with POST /admin/api/login and send the token as 'Authorization: Bearer <token>'."),
        security = @SecurityRequirement(name = AdminApiDefinition.BEARER))
@SecurityScheme(name = AdminApiDefinition.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer")
final class AdminApiDefinition {
    static final String BEARER = "bearer";
    /** Where the build writes the document (micronaut.openapi.filename in the compiler arguments). */
    static final String RESOURCE = "META-INF/swagger/tollgate-admin-api.yml";

    private AdminApiDefinition() {
    }
}
