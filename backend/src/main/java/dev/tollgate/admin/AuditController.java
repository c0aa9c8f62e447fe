// Why: the admin API's audit trail (GET /admin/api/audit?actor=&action=&target_type=&target_id=&tenant=&from=&to=
// &limit=&cursor=, newest first).
package dev.tollgate.admin;

import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import dev.tollgate.audit.AuditEntry;
import dev.tollgate.audit.AuditFilter;
import dev.tollgate.audit.AuditListing;
import dev.tollgate.config.Settings;
import dev.tollgate.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.ZoneId;

@Controller("/admin/api/audit")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuditController {
    private final AuditListing audit;
    private final ZoneId zone;
    private final AdminActors actors;

    public AuditController(AuditListing audit, Settings settings, AdminActors actors) {
        this.audit = audit;
        this.zone = settings.timezone();
        this.actors = actors;
    }

    /** {@code actor} is a username or user id; {@code from}/{@code to} are inclusive, dates in TOLLGATE_TIMEZONE. */
    @Operation(operationId = "listAudit", summary = "Admin actions, newest first, paged by ?limit=&cursor=")
    @Get
    public Page<AuditEntry> list(HttpRequest<?> request, @Nullable @QueryValue String actor, @Nullable @QueryValue String action,
                                 @Nullable @QueryValue("target_type") String targetType,
                                 @Nullable @QueryValue("target_id") String targetId,
                                 @Nullable @QueryValue String tenant, @Nullable @QueryValue String from,
                                 @Nullable @QueryValue String to, @Nullable @QueryValue Integer limit,
                                 @Nullable @QueryValue String cursor) {
        AuditFilter filter = AuditFilter.parse(actor, action, targetType, targetId, tenant, from, to, zone);
        return audit.list(actors.of(request), filter, limit, cursor);
    }
}
