// Why: the admin API's usage report (contract: GET /admin/api/usage), as JSON or, for Accept: text/csv or
// ?format=csv, as a CSV download of the same rows.
package dev.tollgate.admin;

import dev.tollgate.openapi.AdminErrors;
import dev.tollgate.openapi.Bodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tollgate.usage.UsageCsv;
import dev.tollgate.usage.UsageQuery;
import dev.tollgate.usage.UsageReport;
import dev.tollgate.web.FieldError;
import dev.tollgate.web.QueryParams;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.Map;

@Controller("/admin/api/usage")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class UsageController {
    static final String CSV = "text/csv; charset=utf-8";
    private final UsageReport report;
    private final AdminActors actors;

    public UsageController(UsageReport report, AdminActors actors) {
        this.report = report;
        this.actors = actors;
    }

    @Operation(operationId = "usage", summary = "Usage and cost from the daily rollups, grouped; JSON, or CSV with Accept: text/csv or ?format=csv")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "YYYY-MM-DD in TOLLGATE_TIMEZONE, inclusive; default: first day of this month")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "YYYY-MM-DD, inclusive; default: today")
    @Parameter(name = "tenant", in = ParameterIn.QUERY, description = "tenant id")
    @Parameter(name = "key", in = ParameterIn.QUERY, description = "key id")
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "model name")
    @Parameter(name = "group_by", in = ParameterIn.QUERY, description = "day, model, key or tenant")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "json or csv")
    @ApiResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.Usage.class)),
            @Content(mediaType = "text/csv", schema = @Schema(type = "string"))})
    @Get(produces = {MediaType.APPLICATION_JSON, "text/csv"})
    public HttpResponse<?> usage(HttpRequest<?> request) {
        QueryParams p = QueryParams.of(request.getParameters(), UsageQuery.PARAMS);
        boolean csv = wantsCsv(p.get("format"), request.getHeaders().get(HttpHeaders.ACCEPT));
        UsageReport.Result result = report.run(actors.of(request), UsageQuery.parse(p, report.today()));
        if (csv) {
            return HttpResponse.ok(UsageCsv.of(result)).contentType(CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + UsageCsv.fileName(result.query()) + "\"");
        }
        UsageQuery q = result.query();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", q.from().toString());
        body.put("to", q.to().toString());
        body.put("group_by", q.groupBy().param());
        body.put("rows", result.rows().stream().map(r -> r.asMap(q.groupBy())).toList());
        body.put("totals", result.totals().asMap());
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** {@code ?format=} decides; without it, an Accept header naming text/csv does. */
    private static boolean wantsCsv(String format, String accept) {
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw new FieldError("format", "must be json or csv");
            };
        }
        return accept != null && accept.toLowerCase().contains("text/csv");
    }
}
