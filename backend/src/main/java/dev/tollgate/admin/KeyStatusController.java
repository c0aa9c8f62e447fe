// Why: GET /admin/api/keys/{id}/status shows an operator how much of every limit of a key and its tenant is used,
// what remains and when it resets, read from the limit state admission uses (shape: KeyStatus).
package dev.tollgate.admin;

import dev.tollgate.access.Principal;
import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyService;
import dev.tollgate.limits.LimitStatus;
import dev.tollgate.limits.Limits;
import dev.tollgate.tenants.TenantService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

@Controller("/admin/api")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeyStatusController {
    private final KeyService keys;
    private final TenantService tenants;
    private final LimitStatus status;
    private final AdminActors actors;

    public KeyStatusController(KeyService keys, TenantService tenants, LimitStatus status, AdminActors actors) {
        this.keys = keys;
        this.tenants = tenants;
        this.status = status;
        this.actors = actors;
    }

    /** 404 for a key that does not exist or whose tenant was deleted (as other key routes); 503 if limits cannot be read. */
    @Operation(operationId = "keyStatus", summary = "Every limit of a key and its tenant: max, used, remaining, resets_at")
    @Get("/keys/{id}/status")
    public KeyStatus get(String id, HttpRequest<?> request) {
        Principal principal = actors.of(request);
        ApiKey key = keys.get(principal, id);
        Limits tenantLimits = tenants.get(principal, key.tenantId()).limits();
        return KeyStatus.of(key.id(), key.tenantId(), status.of(key.tenantId(), tenantLimits, key.id(), key.limits()));
    }
}
