// Why: the admin API's upstream routes (contract: GET|POST /upstreams, PATCH|DELETE /upstreams/{id}, and GET
// /upstreams/{id} like every other resource); admins change them, viewers read them.
package dev.tollgate.admin;

import dev.tollgate.openapi.Accepts;
import dev.tollgate.openapi.AdminErrors;
import dev.tollgate.upstream.UpstreamService;
import dev.tollgate.upstream.UpstreamView;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

@Controller("/admin/api/upstreams")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class UpstreamController {
    private final UpstreamService upstreams;
    private final AdminJson json;
    private final AdminActors actors;

    public UpstreamController(UpstreamService upstreams, AdminJson json, AdminActors actors) {
        this.upstreams = upstreams;
        this.json = json;
        this.actors = actors;
    }

    @Operation(operationId = "listUpstreams", summary = "Upstream servers, paged by ?limit=&cursor= (admins and viewers)")
    @Get
    public Page<UpstreamView> list(HttpRequest<?> request, @Nullable @QueryValue Integer limit,
                                   @Nullable @QueryValue String cursor) {
        return upstreams.list(actors.of(request), limit, cursor);
    }

    @Operation(operationId = "createUpstream", summary = "Add an upstream server (admins only); the api_key is never shown again")
    @Accepts.Upstream
    @ApiResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = UpstreamView.class)))
    @Post(consumes = MediaType.ALL)
    public HttpResponse<UpstreamView> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return HttpResponse.created(upstreams.create(json.parse(body), actors.of(request)));
    }

    @Operation(operationId = "getUpstream", summary = "One upstream server (admins and viewers)")
    @Get("/{id}")
    public UpstreamView get(String id, HttpRequest<?> request) {
        return upstreams.get(actors.of(request), id);
    }

    @Operation(operationId = "updateUpstream", summary = "Change an upstream (only the members given; api_key null removes the key)")
    @Accepts.Upstream
    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public UpstreamView update(String id, HttpRequest<?> request, @Nullable @Body byte[] body) {
        return upstreams.update(id, json.parse(body), actors.of(request));
    }

    @Operation(operationId = "deleteUpstream", summary = "Remove an upstream, even the last enabled one")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @Delete("/{id}")
    public HttpResponse<?> delete(String id, HttpRequest<?> request) {
        upstreams.delete(id, actors.of(request));
        return HttpResponse.noContent();
    }
}
