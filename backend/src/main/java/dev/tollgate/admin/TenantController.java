// Why: the admin API's tenant routes (contract: GET|POST /tenants, GET|PATCH|DELETE /tenants/{id}).
package dev.tollgate.admin;

import dev.tollgate.openapi.Accepts;
import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tollgate.tenants.Tenant;
import dev.tollgate.tenants.TenantService;
import dev.tollgate.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

@Controller("/admin/api/tenants")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class TenantController {
    private final TenantService tenants;
    private final AdminJson json;
    private final AdminActors actors;

    public TenantController(TenantService tenants, AdminJson json, AdminActors actors) {
        this.tenants = tenants;
        this.json = json;
        this.actors = actors;
    }

    @Operation(operationId = "listTenants", summary = "Tenants, paged by ?limit=&cursor=")
    @Get
    public Page<Tenant> list(HttpRequest<?> request, @Nullable @QueryValue Integer limit,
                             @Nullable @QueryValue String cursor) {
        return tenants.list(actors.of(request), limit, cursor);
    }

    @Operation(operationId = "createTenant", summary = "Create a tenant")
    @Accepts.Tenant
    @ApiResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Tenant.class)))
    @Post(consumes = MediaType.ALL)
    public HttpResponse<Tenant> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return HttpResponse.created(tenants.create(json.parse(body), actors.of(request)));
    }

    @Operation(operationId = "getTenant", summary = "One tenant")
    @Get("/{id}")
    public Tenant get(String id, HttpRequest<?> request) {
        return tenants.get(actors.of(request), id);
    }

    @Operation(operationId = "updateTenant", summary = "Change a tenant (only the members given)")
    @Accepts.Tenant
    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public Tenant update(String id, HttpRequest<?> request, @Nullable @Body byte[] body) {
        return tenants.update(id, json.parse(body), actors.of(request));
    }

    @Operation(operationId = "deleteTenant", summary = "Delete a tenant: its keys are revoked, its usage is kept")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @Delete("/{id}")
    public HttpResponse<?> delete(String id, HttpRequest<?> request) {
        tenants.delete(id, actors.of(request));
        return HttpResponse.noContent();
    }
}
