// Why: admin accounts are part of the admin API contract (GET|POST /users, GET|PATCH|DELETE /users/{id}): fields
// validated with a 400 naming the field, unique usernames whatever their case (409), hashes never shown, an audit
// entry per change, and never fewer than one admin; these checks run in every storage mode through GatewayContract.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminUsers;
import dev.tollgate.support.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Admin API checks of user management; a test class supplies the running gateway. */
public interface UserApiContract {
    TestGateway gateway();

    private JsonNode call(AdminClient as, String method, String path, String body, int status) {
        HttpResponse<String> r = as == null ? gateway().admin(method, path, body) : as.call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : TestGateway.json(r.body());
    }

    private String tenant() {
        return call(null, "POST", "/tenants", "{\"name\":\"users-" + System.nanoTime() + "\"}", 201).path("id").asText();
    }

    @Test
    default void usersAreCreatedReadChangedAndDeletedWithoutEverShowingAHash() {
        String tenant = tenant();
        String name = "Operator-" + System.nanoTime();
        HttpResponse<String> created = gateway().admin("POST", "/users", "{\"username\":\"" + name
                + "\",\"password\":\"first-password-1\",\"role\":\"tenant_admin\",\"tenant_id\":\"" + tenant + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode user = TestGateway.json(created.body());
        String id = user.path("id").asText();
        assertThat(id).startsWith("usr_");
        assertThat(user.path("username").asText()).isEqualTo(name);
        assertThat(user.path("role").asText()).isEqualTo("tenant_admin");
        assertThat(user.path("tenant_id").asText()).isEqualTo(tenant);
        assertThat(user.has("password")).isFalse();
        assertThat(user.has("password_hash")).isFalse();
        assertThat(call(null, "GET", "/users/" + id, null, 200)).isEqualTo(user);

        AdminClient operator = new AdminClient(gateway().adminUrl(), name.toLowerCase(), "first-password-1");
        assertThat(operator.call("GET", "/tenants/" + tenant, null).statusCode()).isEqualTo(200);

        JsonNode viewer = call(null, "PATCH", "/users/" + id, "{\"role\":\"viewer\",\"password\":\"second-password-2\"}", 200);
        assertThat(viewer.path("role").asText()).isEqualTo("viewer");
        assertThat(viewer.path("tenant_id").isNull()).as("a viewer has no tenant").isTrue();
        AdminClient again = new AdminClient(gateway().adminUrl(), name, "second-password-2");
        assertThat(again.call("PUT", "/pricing", "{}").statusCode()).as("viewer now").isEqualTo(403);

        call(null, "DELETE", "/users/" + id, null, 204);
        call(null, "GET", "/users/" + id, null, 404);
        call(null, "DELETE", "/users/" + id, null, 404);
        assertThat(again.call("GET", "/tenants", null).statusCode()).as("a deleted user's session").isEqualTo(401);

        List<JsonNode> entries = new ArrayList<>();
        call(null, "GET", "/audit?target_id=" + id, null, 200).path("items").forEach(entries::add);
        assertThat(entries).extracting(e -> e.path("action").asText())
                .containsExactly("user.delete", "user.update", "user.create");
        assertThat(entries).extracting(e -> e.path("target_type").asText()).containsOnly("user");
        assertThat(entries.get(2).path("after").path("tenant_id").asText()).isEqualTo(tenant);
        assertThat(entries.toString()).doesNotContain("$2").doesNotContain("password");
    }

    @Test
    default void badUserFieldsAnswer400NamingTheFieldAndDuplicatesAnswer409() {
        String tenant = tenant();
        String deleted = tenant();
        call(null, "DELETE", "/tenants/" + deleted, null, 204);
        String taken = AdminUsers.create(gateway(), "Taken", "viewer", null).username();
        String ok = "\"password\":\"long-enough-pw\",\"role\":\"viewer\"";
        String[][] cases = {
            {"{\"username\":\"\"," + ok + "}", "username"},
            {"{\"username\":\"" + "u".repeat(201) + "\"," + ok + "}", "username"},
            {"{\"username\":7," + ok + "}", "username"},
            {"{" + ok + "}", "username"},
            {"{\"username\":\"a\",\"password\":\"short-pw-11\",\"role\":\"viewer\"}", "password"},
            {"{\"username\":\"a\",\"password\":\"" + "p".repeat(201) + "\",\"role\":\"viewer\"}", "password"},
            {"{\"username\":\"a\",\"password\":\"long-enough-pw\",\"role\":\"root\"}", "role"},
            {"{\"username\":\"a\",\"password\":\"long-enough-pw\",\"role\":\"tenant_admin\"}", "tenant_id"},
            {"{\"username\":\"a\",\"password\":\"long-enough-pw\",\"role\":\"tenant_admin\",\"tenant_id\":\"ten_nope\"}", "tenant_id"},
            {"{\"username\":\"a\",\"password\":\"long-enough-pw\",\"role\":\"tenant_admin\",\"tenant_id\":\"" + deleted + "\"}", "tenant_id"},
            {"{\"username\":\"a\"," + ok + ",\"tenant_id\":\"" + tenant + "\"}", "tenant_id"},
            {"{\"username\":\"a\"," + ok + ",\"password_hash\":\"x\"}", "password_hash"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = gateway().admin("POST", "/users", c[0]);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r.body()).path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        HttpResponse<String> dup = gateway().admin("POST", "/users", "{\"username\":\"" + taken.toUpperCase() + "\"," + ok + "}");
        assertThat(dup.statusCode()).isEqualTo(409);
        assertThat(TestGateway.json(dup.body()).path("error").path("field").asText()).isEqualTo("username");

        String id = AdminUsers.create(gateway(), "patched", "viewer", null).id();
        HttpResponse<String> rename = gateway().admin("PATCH", "/users/" + id, "{\"username\":\"" + taken.toLowerCase() + "\"}");
        assertThat(rename.statusCode()).isEqualTo(409);
        HttpResponse<String> promote = gateway().admin("PATCH", "/users/" + id, "{\"role\":\"tenant_admin\"}");
        assertThat(TestGateway.json(promote.body()).path("error").path("field").asText()).isEqualTo("tenant_id");
        HttpResponse<String> unknown = gateway().admin("PATCH", "/users/" + id, "{\"tenant\":\"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        call(null, "PATCH", "/users/usr_nope", "{\"role\":\"viewer\"}", 404);
    }

    @Test
    default void usersArePagedLikeEveryList() {
        for (int i = 0; i < 3; i++) {
            AdminUsers.create(gateway(), "paged", "viewer", null);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = call(null, "GET", "/users?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null, 200);
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            page.path("items").forEach(u -> seen.add(u.path("id").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        JsonNode all = call(null, "GET", "/users?limit=500", null, 200);
        List<String> ids = new ArrayList<>();
        all.path("items").forEach(u -> ids.add(u.path("id").asText()));
        assertThat(seen).containsExactlyElementsOf(ids).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(4);
        assertThat(all.toString()).doesNotContain("$2");
        call(null, "GET", "/users?limit=0", null, 400);
    }

    private List<JsonNode> users(AdminClient as) {
        List<JsonNode> out = new ArrayList<>();
        call(as, "GET", "/users?limit=500", null, 200).path("items").forEach(out::add);
        return out;
    }

    @Test
    default void theLastAdminCanBeNeitherDeletedNorDemoted() {
        String self = users(null).stream().filter(u -> u.path("username").asText().equals("admin")).findFirst()
                .orElseThrow().path("id").asText();
        List<String> others = users(null).stream().filter(u -> u.path("role").asText().equals("admin"))
                .map(u -> u.path("id").asText()).filter(id -> !id.equals(self)).toList();
        others.forEach(o -> call(null, "PATCH", "/users/" + o, "{\"role\":\"viewer\"}", 200));
        AdminUsers.Account second = null;
        try {
            HttpResponse<String> demote = gateway().admin("PATCH", "/users/" + self, "{\"role\":\"viewer\"}");
            assertThat(demote.statusCode()).isEqualTo(409);
            assertThat(TestGateway.json(demote.body()).path("error").path("field").asText()).isEqualTo("role");
            assertThat(gateway().admin("DELETE", "/users/" + self, null).statusCode()).isEqualTo(409);
            assertThat(call(null, "GET", "/users/" + self, null, 200).path("role").asText()).isEqualTo("admin");

            // demoting both of two admins at once: exactly one change succeeds and one admin is left (the other
            // request meets the last-admin rule, or finds its own caller already demoted)
            second = AdminUsers.create(gateway(), "second-admin", "admin", null);
            String secondId = second.id();
            CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(
                    () -> gateway().admin("PATCH", "/users/" + secondId, "{\"role\":\"viewer\"}"));
            CompletableFuture<HttpResponse<String>> two = CompletableFuture.supplyAsync(
                    () -> gateway().admin("PATCH", "/users/" + self, "{\"role\":\"viewer\"}"));
            List<Integer> statuses = List.of(one.join().statusCode(), two.join().statusCode());
            assertThat(statuses).containsOnlyOnce(200).allMatch(s -> s == 200 || s == 409 || s == 403);
            AdminClient survivor = statuses.get(1) == 200 ? second.client() : null;
            assertThat(users(survivor)).filteredOn(u -> u.path("role").asText().equals("admin")).hasSize(1);
        } finally {
            if (second != null) {
                second.client().call("PATCH", "/users/" + self, "{\"role\":\"admin\"}");
            }
            others.forEach(o -> gateway().admin("PATCH", "/users/" + o, "{\"role\":\"admin\"}"));
        }
    }

    @Test
    default void aPasswordSetByAnAdminOrADeletedAccountEndsTheUsersSessions() {
        AdminUsers.Account reset = AdminUsers.create(gateway(), "reset", "viewer", null);
        AdminUsers.Account renamed = AdminUsers.create(gateway(), "renamed", "viewer", null);
        AdminUsers.Account deleted = AdminUsers.create(gateway(), "deleted", "viewer", null);
        for (AdminUsers.Account a : List.of(reset, renamed, deleted)) {
            call(a.client(), "GET", "/me", null, 200);
        }
        call(null, "PATCH", "/users/" + reset.id(), "{\"password\":\"a-brand-new-password\"}", 200);
        call(null, "PATCH", "/users/" + renamed.id(), "{\"username\":\"" + renamed.username() + "-x\"}", 200);
        call(null, "DELETE", "/users/" + deleted.id(), null, 204);
        call(reset.client(), "GET", "/me", null, 401);
        call(deleted.client(), "GET", "/me", null, 401);
        // a change that is not a password keeps the session
        call(renamed.client(), "GET", "/me", null, 200);
        AdminClient fresh = new AdminClient(gateway().adminUrl(), reset.username(), "a-brand-new-password");
        call(fresh, "GET", "/me", null, 200);
    }
}
