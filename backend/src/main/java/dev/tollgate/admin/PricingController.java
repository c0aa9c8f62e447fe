// Why: the admin API's price table (contract: GET|PUT /admin/api/pricing; PUT merges, null removes a model).
package dev.tollgate.admin;

import dev.tollgate.openapi.Accepts;
import dev.tollgate.openapi.AdminErrors;
import io.swagger.v3.oas.annotations.Operation;
import dev.tollgate.usage.Price;
import dev.tollgate.usage.PricingService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;

@Controller("/admin/api/pricing")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class PricingController {
    private final PricingService pricing;
    private final AdminJson json;
    private final AdminActors actors;

    public PricingController(PricingService pricing, AdminJson json, AdminActors actors) {
        this.pricing = pricing;
        this.json = json;
        this.actors = actors;
    }

    @Operation(operationId = "getPricing", summary = "The price table: model name to USD prices")
    @Get
    public Map<String, Price> get() {
        return pricing.table();
    }

    @Operation(operationId = "putPricing", summary = "Merge prices into the table; a null value removes a model")
    @Accepts.Pricing
    @Put(consumes = MediaType.ALL)
    public Map<String, Price> put(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return pricing.put(json.parse(body), actors.of(request));
    }
}
