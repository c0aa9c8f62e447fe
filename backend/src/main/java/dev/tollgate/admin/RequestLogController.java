// Why: the admin API's request log (GET /admin/api/requests, newest first, paged and filtered; GET
// /admin/api/requests/{id} with the logged prompt).
package dev.tollgate.admin;

import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import dev.tollgate.config.Settings;
import dev.tollgate.usage.RequestDetail;
import dev.tollgate.usage.RequestLog;
import dev.tollgate.usage.RequestLogQuery;
import dev.tollgate.usage.RequestView;
import dev.tollgate.web.Page;
import dev.tollgate.web.QueryParams;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.ZoneId;

@Controller("/admin/api/requests")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class RequestLogController {
    private final RequestLog log;
    private final ZoneId zone;
    private final AdminActors actors;

    public RequestLogController(RequestLog log, Settings settings, AdminActors actors) {
        this.log = log;
        this.zone = settings.timezone();
        this.actors = actors;
    }

    @Operation(operationId = "listRequests", summary = "The request log, newest first")
    @Parameter(name = "tenant", in = ParameterIn.QUERY, description = "tenant id")
    @Parameter(name = "key", in = ParameterIn.QUERY, description = "key id")
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "model name")
    @Parameter(name = "status", in = ParameterIn.QUERY, description = "429 or 5xx")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "YYYY-MM-DD (a day in TOLLGATE_TIMEZONE) or an ISO 8601 time with offset; inclusive")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "like from; inclusive")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1-500, default 50")
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "next_cursor of the previous page")
    @Get
    public Page<RequestView> list(HttpRequest<?> request) {
        QueryParams p = QueryParams.of(request.getParameters(), RequestLogQuery.PARAMS);
        int limit = Page.limit(p.integer("limit"));
        RequestLogQuery.Cursor cursor = RequestLogQuery.Cursor.parse(p.get("cursor"));
        return log.page(actors.of(request), RequestLogQuery.parse(p, zone), limit, cursor);
    }

    @Operation(operationId = "getRequest", summary = "One logged request with its prompt (null unless logged)")
    @Get("/{id}")
    public RequestDetail get(String id, HttpRequest<?> request) {
        return log.find(actors.of(request), id);
    }
}
