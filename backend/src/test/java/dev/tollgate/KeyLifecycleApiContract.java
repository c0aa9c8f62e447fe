// Why: key lifecycle is part of the admin API contract: rotation with a grace during which both keys work, expiry
// and the end of a grace enforced to the second even from the key cache, a disabled or deleted tenant's keys
// refused at once, and last_used_at kept without a database write per request. Runs in every storage mode through
// GatewayContract.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.admin.AdminUserRepository;
import dev.tollgate.admin.AdminUserRow;
import dev.tollgate.admin.Passwords;
import dev.tollgate.keys.LastUsedTracker;
import dev.tollgate.storage.Ids;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.Cutoff;
import dev.tollgate.support.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admin API and proxy checks of the key lifecycle; a test class supplies the running gateway. */
public interface KeyLifecycleApiContract {
    TestGateway gateway();

    private JsonNode call(String method, String path, String body, int status) {
        HttpResponse<String> r = gateway().admin(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : TestGateway.json(r.body());
    }

    private String newTenant() {
        return call("POST", "/tenants", "{\"name\":\"life-" + System.nanoTime() + "\"}", 201).path("id").asText();
    }

    private JsonNode newKey(String tenant, String body) {
        return call("POST", "/tenants/" + tenant + "/keys", body, 201);
    }

    /** The proxy's answer to a key: 200 when it authenticates, 401 when refused (an authenticated listing). */
    private int status(String key) {
        return gateway().send(HttpRequest.newBuilder(URI.create(gateway().proxyUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + key).GET().build()).statusCode();
    }

    /** The key.rotate entries of a key, newest first. */
    private JsonNode rotations(String keyId) {
        return call("GET", "/audit?action=key.rotate&target_id=" + keyId, null, 200).path("items");
    }

    /** A key record without what a use may change at any moment (a scheduled flush writes last_used_at). */
    private static JsonNode stable(JsonNode key, String... more) {
        ObjectNode copy = key.deepCopy();
        copy.remove(List.of("key", "last_used_at"));
        copy.remove(List.of(more));
        return copy;
    }

    @Test
    default void rotateRefusesABadGraceAndChangesNothing() {
        JsonNode key = newKey(newTenant(), "{\"name\":\"bad-grace\"}");
        String id = key.path("id").asText();
        String[][] cases = {{"{\"grace_seconds\":-1}", "grace_seconds"}, {"{\"grace_seconds\":604801}", "grace_seconds"},
                {"{\"grace_seconds\":1.5}", "grace_seconds"}, {"{\"grace_seconds\":\"10\"}", "grace_seconds"},
                {"{\"grace_seconds\":true}", "grace_seconds"}, {"{\"grace_seconds\":1e30}", "grace_seconds"},
                {"{\"grace_seconds\":99999999999999999999999}", "grace_seconds"}, {"{\"grace\":10}", "grace"},
                {"[10]", null}, {"{\"grace_seconds\":", null}};
        for (String[] c : cases) {
            HttpResponse<String> r = gateway().admin("POST", "/keys/" + id + "/rotate", c[0]);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            JsonNode field = TestGateway.json(r.body()).path("error").path("field");
            assertThat(field.isNull() ? null : field.asText()).as(c[0]).isEqualTo(c[1]);
        }
        // (create answers created_at to the nanosecond, the database keeps microseconds)
        assertThat(stable(call("GET", "/keys/" + id, null, 200), "created_at")).isEqualTo(stable(key, "created_at"));
        assertThat(call("GET", "/tenants/" + key.path("tenant_id").asText() + "/keys", null, 200).path("items")).hasSize(1);
        assertThat(rotations(id)).isEmpty();
        assertThat(status(key.path("key").asText())).isEqualTo(200);
        assertThat(gateway().admin("POST", "/keys/key_nope/rotate", "{}").statusCode()).isEqualTo(404);
    }

    /** A client logged in as a new user of {@code role} (of {@code tenant} for a tenant_admin). */
    private AdminClient userOf(String role, String tenant) {
        String name = role + "-" + System.nanoTime();
        String password = "password-" + name;
        gateway().running().context().getBean(AdminUserRepository.class).save(new AdminUserRow(Ids.next("usr"), name,
                Passwords.hash(password), role, tenant, Instant.now(), Instant.now()));
        return new AdminClient(gateway().adminUrl(), name, password);
    }

    @Test
    default void onlyAWriterWhoSeesTheKeysTenantMayRotateIt() {
        String mine = newTenant();
        JsonNode own = newKey(mine, "{\"name\":\"own\"}");
        JsonNode foreign = newKey(newTenant(), "{\"name\":\"foreign\"}");
        HttpResponse<String> viewer = userOf("viewer", null).call("POST", "/keys/" + own.path("id").asText() + "/rotate", "{}");
        assertThat(viewer.statusCode()).as(viewer.body()).isEqualTo(403);
        AdminClient tenantAdmin = userOf("tenant_admin", mine);
        HttpResponse<String> other = tenantAdmin.call("POST", "/keys/" + foreign.path("id").asText() + "/rotate", "{}");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
        assertThat(other.body()).isEqualTo(gateway().admin("POST", "/keys/key_nope/rotate", "{}").body());
        assertThat(rotations(own.path("id").asText())).isEmpty();
        assertThat(rotations(foreign.path("id").asText())).isEmpty();
        assertThat(List.of(status(own.path("key").asText()), status(foreign.path("key").asText()))).containsOnly(200);
        HttpResponse<String> allowed = tenantAdmin.call("POST", "/keys/" + own.path("id").asText() + "/rotate", "{}");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(201);
        assertThat(rotations(own.path("id").asText())).hasSize(1);
    }

    @Test
    default void rotateWithoutGraceReplacesTheKeyAtOnceAndRecordsItOnce() {
        String tenant = newTenant();
        JsonNode old = newKey(tenant, "{\"name\":\"svc\",\"limits\":{\"rpm\":600},\"allowed_models\":[\"llama3.2\"],"
                + "\"expires_at\":\"2099-01-01T00:00:00Z\",\"log_prompts\":true}");
        String oldId = old.path("id").asText();
        assertThat(status(old.path("key").asText())).isEqualTo(200);

        JsonNode fresh = call("POST", "/keys/" + oldId + "/rotate", null, 201);
        String plaintext = fresh.path("key").asText();
        assertThat(plaintext).startsWith("sk-tg-").isNotEqualTo(old.path("key").asText());
        assertThat(fresh.path("id").asText()).isNotEqualTo(oldId);
        assertThat(fresh.path("prefix").asText()).isEqualTo(plaintext.substring(0, 10));
        for (String same : List.of("tenant_id", "name", "limits", "allowed_models", "expires_at", "log_prompts")) {
            assertThat(fresh.path(same)).as(same).isEqualTo(old.path(same));
        }
        assertThat(fresh.path("status").asText()).isEqualTo("active");
        assertThat(fresh.path("revoked_at").isNull()).isTrue();
        // the old key is refused by the next request (this replica drops it from its cache once the change commits)
        assertThat(status(old.path("key").asText())).isEqualTo(401);
        assertThat(status(plaintext)).isEqualTo(200);
        assertThat(call("GET", "/keys/" + oldId, null, 200).path("status").asText()).isEqualTo("revoked");
        // the plaintext is shown once: never by a read or a listing
        JsonNode read = call("GET", "/keys/" + fresh.path("id").asText(), null, 200);
        assertThat(read.has("key")).isFalse();
        assertThat(stable(read)).isEqualTo(stable(fresh));
        assertThat(gateway().admin("GET", "/tenants/" + tenant + "/keys", null).body()).doesNotContain(plaintext.substring(10));

        JsonNode entries = rotations(oldId);
        assertThat(entries).hasSize(1);
        JsonNode entry = entries.get(0);
        assertThat(entry.path("tenant_id").asText()).isEqualTo(tenant);
        assertThat(entry.path("before").path("status").asText()).isEqualTo("active");
        assertThat(entry.path("after").path("rotated").path("status").asText()).isEqualTo("revoked");
        assertThat(stable(entry.path("after").path("replacement"))).isEqualTo(stable(read));
        assertThat(entry.toString()).doesNotContain(plaintext.substring(10));
        // a revoked key cannot be rotated (409), and that records nothing
        HttpResponse<String> again = gateway().admin("POST", "/keys/" + oldId + "/rotate", "{}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(TestGateway.json(again.body()).path("error").path("message").asText()).contains("revoked");
        assertThat(rotations(oldId)).hasSize(1);
    }

    @Test
    default void rotateWithGraceKeepsTheOldKeyUntilTheGraceEndsAndTheNewOneThroughout() {
        JsonNode old = newKey(newTenant(), "{\"name\":\"graceful\"}");
        String oldKey = old.path("key").asText();
        assertThat(status(oldKey)).isEqualTo(200);
        Instant before = Instant.now();
        JsonNode fresh = call("POST", "/keys/" + old.path("id").asText() + "/rotate", "{\"grace_seconds\":2}", 201);
        String newKey = fresh.path("key").asText();
        JsonNode retiring = call("GET", "/keys/" + old.path("id").asText(), null, 200);
        assertThat(retiring.path("status").asText()).isEqualTo("rotating");
        Instant end = Instant.parse(retiring.path("revoked_at").asText());
        assertThat(end).isBetween(before.plusSeconds(2), Instant.now().plusSeconds(2));

        Duration late = Cutoff.refusedAfter(end, Duration.ofSeconds(6), () -> status(oldKey),
                () -> assertThat(status(newKey)).as("the new key during the grace").isEqualTo(200));
        assertThat(late).isLessThan(Duration.ofSeconds(1));
        assertThat(status(newKey)).isEqualTo(200);
        assertThat(call("GET", "/keys/" + old.path("id").asText(), null, 200).path("status").asText()).isEqualTo("revoked");
    }

    @Test
    default void expiryIsEnforcedToTheSecondEvenForACachedKey() {
        JsonNode key = newKey(newTenant(), "{\"name\":\"short-lived\"}");
        String plaintext = key.path("key").asText();
        assertThat(status(plaintext)).isEqualTo(200);
        // a whole second, one to two seconds ahead
        Instant expires = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        JsonNode patched = call("PATCH", "/keys/" + key.path("id").asText(), "{\"expires_at\":\"" + expires + "\"}", 200);
        assertThat(Instant.parse(patched.path("expires_at").asText())).isEqualTo(expires);
        Duration late = Cutoff.refusedAfter(expires, Duration.ofSeconds(6), () -> status(plaintext), () -> { });
        assertThat(late).isLessThan(Duration.ofSeconds(1));
        assertThat(call("GET", "/keys/" + key.path("id").asText(), null, 200).path("status").asText()).isEqualTo("expired");
        HttpResponse<String> rotate = gateway().admin("POST", "/keys/" + key.path("id").asText() + "/rotate", "{}");
        assertThat(rotate.statusCode()).as(rotate.body()).isEqualTo(409);
    }

    @Test
    default void aDisabledTenantsKeysAreRefusedAtOnceAndADeletedTenantsToo() {
        String tenant = newTenant();
        String a = newKey(tenant, "{\"name\":\"a\"}").path("key").asText();
        String b = newKey(tenant, "{\"name\":\"b\"}").path("key").asText();
        String other = newKey(newTenant(), "{\"name\":\"other\"}").path("key").asText();
        assertThat(List.of(status(a), status(b), status(other))).containsOnly(200);
        call("PATCH", "/tenants/" + tenant, "{\"disabled\":true}", 200);
        assertThat(List.of(status(a), status(b))).containsOnly(401);
        assertThat(status(other)).isEqualTo(200);
        call("PATCH", "/tenants/" + tenant, "{\"disabled\":false}", 200);
        assertThat(List.of(status(a), status(b))).containsOnly(200);
        call("DELETE", "/tenants/" + tenant, null, 204);
        assertThat(List.of(status(a), status(b))).containsOnly(401);
        assertThat(status(other)).isEqualTo(200);
    }

    @Test
    default void aRotatingKeyIsRevokedWithItsTenant() {
        String tenant = newTenant();
        JsonNode old = newKey(tenant, "{\"name\":\"r\"}");
        call("POST", "/keys/" + old.path("id").asText() + "/rotate", "{\"grace_seconds\":600}", 201);
        assertThat(status(old.path("key").asText())).isEqualTo(200);
        call("DELETE", "/tenants/" + tenant, null, 204);
        assertThat(status(old.path("key").asText())).isEqualTo(401);
    }

    @Test
    default void lastUsedIsWrittenInBatchesAndNeverMovesBackwards() {
        LastUsedTracker tracker = gateway().running().context().getBean(LastUsedTracker.class);
        JsonNode key = newKey(newTenant(), "{\"name\":\"busy\"}");
        String id = key.path("id").asText();
        assertThat(key.path("last_used_at").isNull()).isTrue();
        long statements = tracker.statements();
        Instant first = Instant.now();
        for (int i = 0; i < 20; i++) {
            assertThat(status(key.path("key").asText())).isEqualTo(200);
        }
        Instant last = Instant.now();
        tracker.flush();
        // 20 uses, one statement (a scheduled flush, every 10 s, may have written a share of them in a second one)
        assertThat(tracker.statements() - statements).isBetween(1L, 2L);
        Instant shown = Instant.parse(call("GET", "/keys/" + id, null, 200).path("last_used_at").asText());
        assertThat(shown).isBetween(first, last);
        // a replica flushing an older use later never moves it back; a newer one moves it on
        tracker.used(id, shown.minusSeconds(3600));
        tracker.flush();
        assertThat(Instant.parse(call("GET", "/keys/" + id, null, 200).path("last_used_at").asText())).isEqualTo(shown);
        Instant later = shown.plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        tracker.used(id, later);
        tracker.flush();
        assertThat(Instant.parse(call("GET", "/keys/" + id, null, 200).path("last_used_at").asText())).isEqualTo(later);
        assertThat(tracker.flush()).isZero();
    }
}
