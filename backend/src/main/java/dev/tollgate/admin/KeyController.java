// Why: the admin API's key routes: create under a tenant (plaintext returned once), list, read, revoke.
package dev.tollgate.admin;

import dev.tollgate.openapi.Accepts;
import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyService;
import dev.tollgate.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

@Controller("/admin/api")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeyController {
    private final KeyService keys;
    private final AdminJson json;
    private final AdminActors actors;

    public KeyController(KeyService keys, AdminJson json, AdminActors actors) {
        this.keys = keys;
        this.json = json;
        this.actors = actors;
    }

    @Operation(operationId = "createKey", summary = "Create a key; the answer carries the plaintext key, shown only here")
    @Accepts.Key
    @ApiResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiKey.class)))
    @Post(uri = "/tenants/{tenantId}/keys", consumes = MediaType.ALL)
    public HttpResponse<ApiKey> create(String tenantId, HttpRequest<?> request, @Nullable @Body byte[] body) {
        return HttpResponse.created(keys.create(tenantId, json.parse(body), actors.of(request)));
    }

    @Operation(operationId = "listKeys", summary = "A tenant's keys, paged by ?limit=&cursor=")
    @Get("/tenants/{tenantId}/keys")
    public Page<ApiKey> list(String tenantId, HttpRequest<?> request, @Nullable @QueryValue Integer limit,
                             @Nullable @QueryValue String cursor) {
        return keys.list(actors.of(request), tenantId, limit, cursor);
    }

    @Operation(operationId = "getKey", summary = "One key (prefix, status, limits; never the hash)")
    @Get("/keys/{id}")
    public ApiKey get(String id, HttpRequest<?> request) {
        return keys.get(actors.of(request), id);
    }

    @Operation(operationId = "updateKey", summary = "Change a key (only the members given)")
    @Accepts.Key
    @Patch(uri = "/keys/{id}", consumes = MediaType.ALL)
    public ApiKey update(String id, HttpRequest<?> request, @Nullable @Body byte[] body) {
        return keys.update(id, json.parse(body), actors.of(request));
    }

    @Operation(operationId = "revokeKey", summary = "Revoke a key; every replica refuses it within 2 s")
    @Post(uri = "/keys/{id}/revoke", consumes = MediaType.ALL)
    public ApiKey revoke(String id, HttpRequest<?> request) {
        return keys.revoke(id, actors.of(request));
    }
}
