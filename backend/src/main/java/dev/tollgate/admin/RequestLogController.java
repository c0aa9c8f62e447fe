// Why: the admin API's request log (GET /admin/api/requests, newest first, paged and filtered; GET
// /admin/api/requests/{id} with the logged prompt).
package dev.tollgate.admin;

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

    @Get
    public Page<RequestView> list(HttpRequest<?> request) {
        QueryParams p = QueryParams.of(request.getParameters(), RequestLogQuery.PARAMS);
        int limit = Page.limit(p.integer("limit"));
        RequestLogQuery.Cursor cursor = RequestLogQuery.Cursor.parse(p.get("cursor"));
        return log.page(actors.of(request), RequestLogQuery.parse(p, zone), limit, cursor);
    }

    @Get("/{id}")
    public RequestDetail get(String id, HttpRequest<?> request) {
        return log.find(actors.of(request), id);
    }
}
