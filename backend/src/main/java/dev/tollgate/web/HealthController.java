// Why: load balancers need liveness (the process answers) and readiness (database, limit state, an upstream and
// room in the request log's buffer) on the proxy listener.
package dev.tollgate.web;

import dev.tollgate.storage.Readiness;
import dev.tollgate.limits.LimitGate;
import dev.tollgate.usage.BufferedUsageSink;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;

@Controller("/health")
public class HealthController {
    private final Readiness readiness;
    private final LimitGate limits;
    private final BufferedUsageSink usageSink;

    public HealthController(Readiness readiness, LimitGate limits, BufferedUsageSink usageSink) {
        this.readiness = readiness;
        this.limits = limits;
        this.usageSink = usageSink;
    }

    @Get("/live")
    public Map<String, String> live() {
        return Map.of("status", "ok");
    }

    @Get("/ready")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<Map<String, Object>> ready() {
        Readiness.Report report = readiness.check();
        return HttpResponse.<Map<String, Object>>status(report.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", report.ready() ? "ok" : "unavailable", "checks", report.checks(),
                        "unenforced_requests", limits.unenforcedCount(), "usage_log_pending", usageSink.pending()));
    }
}
