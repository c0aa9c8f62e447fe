// Why: the admin API's rotate route (contract: POST /admin/api/keys/{id}/rotate {grace_seconds?} → 201 with the
// new key record and its plaintext, shown only here). A body is optional: none means no grace.
package dev.tollgate.admin;

import io.swagger.v3.oas.annotations.Operation;
import dev.tollgate.openapi.AdminErrors;
import dev.tollgate.openapi.Accepts;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRotation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

@Controller("/admin/api")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeyRotationController {
    private final KeyRotation rotation;
    private final AdminJson json;
    private final AdminActors actors;

    public KeyRotationController(KeyRotation rotation, AdminJson json, AdminActors actors) {
        this.rotation = rotation;
        this.json = json;
        this.actors = actors;
    }

    @Operation(operationId = "rotateKey", summary = "A replacement key (plaintext shown once); the old key ends after grace_seconds")
    @Accepts.Rotate
    @Post(uri = "/keys/{id}/rotate", consumes = MediaType.ALL)
    public HttpResponse<ApiKey> rotate(String id, HttpRequest<?> request, @Nullable @Body byte[] body) {
        var parsed = body == null || body.length == 0 ? JsonNodeFactory.instance.objectNode() : json.parse(body);
        return HttpResponse.created(rotation.rotate(id, parsed, actors.of(request)));
    }
}
