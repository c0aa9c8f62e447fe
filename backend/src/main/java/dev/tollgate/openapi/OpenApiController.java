// Why: serves the OpenAPI document the build generated from the admin controllers (GET /admin/api/openapi.yml,
// readable without login, admin listener only), so the description can never drift from the code.
package dev.tollgate.openapi;

import dev.tollgate.config.StartupException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;

@Controller("/admin/api")
@Hidden
public class OpenApiController {
    static final String YAML = "application/yaml";
    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(AdminApiDefinition.RESOURCE)) {
            if (in == null) {
                throw new StartupException("the build did not include " + AdminApiDefinition.RESOURCE);
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new StartupException("cannot read " + AdminApiDefinition.RESOURCE + ": " + e.getMessage());
        }
    }

    @Get(uri = "/openapi.yml", produces = YAML)
    public HttpResponse<byte[]> document() {
        return HttpResponse.ok(document).contentType(YAML);
    }
}
