// Why: the admin API's user routes (contract: GET|POST /users, GET|PATCH|DELETE /users/{id}); admins only.
package dev.tollgate.admin;

import io.swagger.v3.oas.annotations.Operation;
import dev.tollgate.openapi.AdminErrors;
import dev.tollgate.openapi.Accepts;
import dev.tollgate.users.User;
import dev.tollgate.users.UserService;
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

@Controller("/admin/api/users")
@AdminErrors
@ExecuteOn(TaskExecutors.BLOCKING)
public class UserController {
    private final UserService users;
    private final AdminJson json;
    private final AdminActors actors;

    public UserController(UserService users, AdminJson json, AdminActors actors) {
        this.users = users;
        this.json = json;
        this.actors = actors;
    }

    @Operation(operationId = "listUsers", summary = "Admin accounts, paged by ?limit=&cursor= (admins only)")
    @Get
    public Page<User> list(HttpRequest<?> request, @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return users.list(actors.of(request), limit, cursor);
    }

    @Operation(operationId = "createUser", summary = "Create an admin account (admins only)")
    @Accepts.User
    @Post(consumes = MediaType.ALL)
    public HttpResponse<User> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return HttpResponse.created(users.create(json.parse(body), actors.of(request)));
    }

    @Operation(operationId = "getUser", summary = "One admin account (admins only)")
    @Get("/{id}")
    public User get(String id, HttpRequest<?> request) {
        return users.get(actors.of(request), id);
    }

    @Operation(operationId = "updateUser", summary = "Change an account (only the members given); a new password ends its sessions")
    @Accepts.User
    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public User update(String id, HttpRequest<?> request, @Nullable @Body byte[] body) {
        return users.update(id, json.parse(body), actors.of(request));
    }

    @Operation(operationId = "deleteUser", summary = "Delete an account and its sessions; never the last admin")
    @Delete("/{id}")
    public HttpResponse<?> delete(String id, HttpRequest<?> request) {
        users.delete(id, actors.of(request));
        return HttpResponse.noContent();
    }
}
