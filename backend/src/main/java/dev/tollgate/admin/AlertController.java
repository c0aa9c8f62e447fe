// Why: the admin API's budget alert events (GET /admin/api/alerts?tenant=&limit=&cursor=, newest first).
package dev.tollgate.admin;

import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import dev.tollgate.alerts.AlertListing;
import dev.tollgate.alerts.AlertView;
import dev.tollgate.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

@Controller("/admin/api/alerts")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class AlertController {
    private final AlertListing alerts;
    private final AdminActors actors;

    public AlertController(AlertListing alerts, AdminActors actors) {
        this.alerts = alerts;
        this.actors = actors;
    }

    @Operation(operationId = "listAlerts", summary = "Budget alert events, newest first, paged by ?limit=&cursor=")
    @Get
    public Page<AlertView> list(HttpRequest<?> request, @Nullable @QueryValue String tenant, @Nullable @QueryValue Integer limit,
                                @Nullable @QueryValue String cursor) {
        return alerts.list(actors.of(request), tenant, limit, cursor);
    }
}
