// Why: the admin API's tenant routes (contract: GET|POST /tenants, GET|PATCH|DELETE /tenants/{id}).
package dev.tollgate.admin;

import dev.tollgate.tenants.Tenant;
import dev.tollgate.tenants.TenantService;
import dev.tollgate.web.Page;
import io.micronaut.core.annotation.Nullable;
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
@ExecuteOn(TaskExecutors.BLOCKING)
public class TenantController {
    private final TenantService tenants;
    private final AdminJson json;

    public TenantController(TenantService tenants, AdminJson json) {
        this.tenants = tenants;
        this.json = json;
    }

    @Get
    public Page<Tenant> list(@Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return tenants.list(limit, cursor);
    }

    @Post(consumes = MediaType.ALL)
    public HttpResponse<Tenant> create(@Nullable @Body byte[] body) {
        return HttpResponse.created(tenants.create(json.parse(body)));
    }

    @Get("/{id}")
    public Tenant get(String id) {
        return tenants.get(id);
    }

    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public Tenant update(String id, @Nullable @Body byte[] body) {
        return tenants.update(id, json.parse(body));
    }

    @Delete("/{id}")
    public HttpResponse<?> delete(String id) {
        tenants.delete(id);
        return HttpResponse.noContent();
    }
}
