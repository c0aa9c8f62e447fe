// Why: the audit trail is part of the admin API contract (every admin change recorded once with who, what, when,
// before and after, in the change's own transaction; GET /admin/api/audit filtered and paged); these checks run
// in every storage mode through GatewayContract.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.access.Principal;
import dev.tollgate.access.Role;
import dev.tollgate.admin.AdminUserRepository;
import dev.tollgate.admin.Passwords;
import dev.tollgate.audit.Actor;
import dev.tollgate.audit.AuditAction;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.audit.AuditRepository;
import dev.tollgate.audit.AuditRow;
import dev.tollgate.keys.KeyService;
import dev.tollgate.storage.Ids;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.TestGateway;
import dev.tollgate.tenants.TenantService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.exceptions.TransactionException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admin API checks of the audit trail; a test class supplies the running gateway. */
public interface AuditApiContract {
    TestGateway gateway();

    private JsonNode audit(String query) {
        HttpResponse<String> r = gateway().admin("GET", "/audit" + query, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r.body());
    }

    /** Every entry matching {@code filters} ("a=1&b=2"), newest first, from one page. */
    private List<JsonNode> entries(String filters) {
        JsonNode page = audit("?limit=500&" + filters);
        assertThat(page.path("next_cursor").isNull()).isTrue();
        List<JsonNode> out = new ArrayList<>();
        page.path("items").forEach(out::add);
        return out;
    }

    private static List<String> ids(List<JsonNode> entries) {
        return entries.stream().map(e -> e.path("id").asText()).toList();
    }

    /** The id of the newest entry of the whole trail ("" when it is empty). */
    private String newestId() {
        JsonNode items = audit("?limit=1").path("items");
        return items.isEmpty() ? "" : items.get(0).path("id").asText();
    }

    private JsonNode call(String method, String path, String body, int status) {
        HttpResponse<String> r = gateway().admin(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : TestGateway.json(r.body());
    }

    private String newTenant(String prefix) {
        return call("POST", "/tenants", "{\"name\":\"" + prefix + "-" + System.nanoTime() + "\"}", 201).path("id").asText();
    }

    private ApplicationContext context() {
        return gateway().running().context();
    }

    private Actor admin() {
        String id = context().getBean(AdminUserRepository.class).findByUsernameIgnoreCase("admin").orElseThrow().id();
        return new Actor(id, "admin");
    }

    private static void assertEntry(JsonNode e, Actor actor, String action, String targetId, String tenantId) {
        assertThat(e.path("id").asText()).startsWith("aud_");
        assertThat(e.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(e.path("actor").path("id").asText()).isEqualTo(actor.id());
        assertThat(e.path("actor").path("username").asText()).isEqualTo(actor.username());
        assertThat(e.path("action").asText()).isEqualTo(action);
        assertThat(e.path("target_type").asText()).isEqualTo(action.substring(0, action.indexOf('.')));
        assertThat(e.path("target_id").isNull() ? null : e.path("target_id").asText()).isEqualTo(targetId);
        assertThat(e.path("tenant_id").isNull() ? null : e.path("tenant_id").asText()).isEqualTo(tenantId);
    }

    @Test
    default void everyTenantAndKeyChangeIsRecordedOnceWithItsActorBeforeAndAfter() {
        Actor admin = admin();
        JsonNode created = call("POST", "/tenants", "{\"name\":\"audit-" + System.nanoTime() + "\",\"limits\":{\"rpm\":60,"
                + "\"budget\":{\"amount\":25.5,\"window\":\"monthly\"}}}", 201);
        String t = created.path("id").asText();
        JsonNode tenantBefore = call("GET", "/tenants/" + t, null, 200);
        JsonNode tenantAfter = call("PATCH", "/tenants/" + t, "{\"limits\":{\"tpm\":1000},\"allowed_models\":[\"llama3.2\"]}", 200);
        JsonNode key = call("POST", "/tenants/" + t + "/keys", "{\"name\":\"k\",\"limits\":{\"concurrency\":2}}", 201);
        String k = key.path("id").asText();
        JsonNode keyBefore = call("GET", "/keys/" + k, null, 200);
        JsonNode keyAfter = call("PATCH", "/keys/" + k, "{\"name\":\"k2\",\"expires_at\":\"2099-01-01T00:00:00Z\"}", 200);
        JsonNode beforeRevoke = call("GET", "/keys/" + k, null, 200);
        JsonNode revoked = call("POST", "/keys/" + k + "/revoke", null, 200);
        JsonNode beforeDelete = call("GET", "/tenants/" + t, null, 200);
        call("DELETE", "/tenants/" + t, null, 204);

        List<JsonNode> trail = entries("tenant=" + t);
        assertThat(trail).extracting(e -> e.path("action").asText()).containsExactly(
                "tenant.delete", "key.revoke", "key.update", "key.create", "tenant.update", "tenant.create");
        assertEntry(trail.get(5), admin, "tenant.create", t, t);
        assertThat(trail.get(5).path("before").isNull()).isTrue();
        assertThat(trail.get(5).path("after")).isEqualTo(created);
        assertEntry(trail.get(4), admin, "tenant.update", t, t);
        assertThat(trail.get(4).path("before")).isEqualTo(tenantBefore);
        assertThat(trail.get(4).path("after")).isEqualTo(tenantAfter);
        assertEntry(trail.get(3), admin, "key.create", k, t);
        assertThat(trail.get(3).path("before").isNull()).isTrue();
        assertThat(trail.get(3).path("after")).isEqualTo(((ObjectNode) key.deepCopy()).without("key"));
        assertEntry(trail.get(2), admin, "key.update", k, t);
        assertThat(trail.get(2).path("before")).isEqualTo(keyBefore);
        assertThat(trail.get(2).path("after")).isEqualTo(keyAfter);
        assertEntry(trail.get(1), admin, "key.revoke", k, t);
        assertThat(trail.get(1).path("before")).isEqualTo(beforeRevoke);
        assertThat(trail.get(1).path("after")).isEqualTo(revoked);
        assertThat(trail.get(1).path("after").path("status").asText()).isEqualTo("revoked");
        assertEntry(trail.get(0), admin, "tenant.delete", t, t);
        assertThat(trail.get(0).path("before")).isEqualTo(beforeDelete);
        assertThat(trail.get(0).path("after").isNull()).isTrue();

        String keyTrail = gateway().admin("GET", "/audit?target_id=" + k, null).body();
        assertThat(keyTrail).doesNotContain(key.path("key").asText().substring(10)).doesNotContain("hash")
                .doesNotContain("\"key\":");
    }

    @Test
    default void pricingChangesRecordTheNamedModelsBeforeAndAfter() {
        Actor admin = admin();
        String m = "audit-price-" + System.nanoTime();
        call("PUT", "/pricing", "{\"" + m + "-a\":{\"input_per_mtok\":0.15},\"" + m + "-b\":{\"per_request\":0.002}}", 200);
        JsonNode first = audit("?action=pricing.update&limit=1").path("items").get(0);
        assertEntry(first, admin, "pricing.update", null, null);
        assertThat(first.path("before")).isEqualTo(TestGateway.json("{\"" + m + "-a\":null,\"" + m + "-b\":null}"));
        assertThat(first.path("after").path(m + "-a").path("input_per_mtok").decimalValue()).isEqualByComparingTo("0.15");
        assertThat(first.path("after").path(m + "-a").path("output_per_mtok").decimalValue()).isEqualByComparingTo("0");
        assertThat(first.path("after").path(m + "-b").path("per_request").decimalValue()).isEqualByComparingTo("0.002");

        // the same model under Ollama's implicit tag: before is its stored price; a removal is null after
        call("PUT", "/pricing", "{\"" + m + "-a:latest\":{\"output_per_mtok\":123456.000000000001},\"" + m + "-b\":null}", 200);
        JsonNode second = audit("?target_type=pricing&limit=1").path("items").get(0);
        assertEntry(second, admin, "pricing.update", null, null);
        assertThat(second.path("before").path(m + "-a:latest").path("input_per_mtok").decimalValue()).isEqualByComparingTo("0.15");
        assertThat(second.path("before").path(m + "-b").path("per_request").decimalValue()).isEqualByComparingTo("0.002");
        assertThat(second.path("after").path(m + "-b").isNull()).isTrue();
        assertThat(second.path("after").size()).isEqualTo(2);
        assertThat(gateway().admin("GET", "/audit?limit=1", null).body()).as("decimals exactly as written")
                .contains("123456.000000000001");
        assertThat(second.path("id").asText()).isNotEqualTo(first.path("id").asText());
        call("PUT", "/pricing", "{\"" + m + "-a\":null}", 200);
    }

    @Test
    default void changesByAnotherAdminNameThatAdminAndTheActorFilterFindsThem() {
        String name = "auditor-" + System.nanoTime();
        String password = "pw-" + System.nanoTime();
        String id = Ids.next("usr");
        context().getBean(AdminUserRepository.class).insertIfAbsent(id, name, Passwords.hash(password), "admin", Instant.now());
        AdminClient auditor = new AdminClient(gateway().adminUrl(), name, password);
        HttpResponse<String> created = auditor.call("POST", "/tenants", "{\"name\":\"by-" + name + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String t = TestGateway.json(created.body()).path("id").asText();
        assertThat(auditor.call("PATCH", "/tenants/" + t, "{\"disabled\":true}").statusCode()).isEqualTo(200);
        call("PATCH", "/tenants/" + t, "{\"disabled\":false}", 200);

        List<JsonNode> byName = entries("actor=" + name);
        assertThat(byName).extracting(e -> e.path("action").asText()).containsExactly("tenant.update", "tenant.create");
        byName.forEach(e -> assertEntry(e, new Actor(id, name), e.path("action").asText(), t, t));
        assertThat(byName.get(0).path("after").path("disabled").asBoolean()).isTrue();
        assertThat(ids(entries("actor=" + name.toUpperCase()))).isEqualTo(ids(byName));
        assertThat(ids(entries("actor=" + id))).isEqualTo(ids(byName));
        List<JsonNode> all = entries("tenant=" + t);
        assertThat(all).hasSize(3);
        assertEntry(all.get(0), admin(), "tenant.update", t, t);
        assertThat(entries("actor=" + name + "&tenant=" + t + "&action=tenant.update")).hasSize(1);
        assertThat(entries("actor=nobody-" + System.nanoTime())).isEmpty();
    }

    @Test
    default void failedOrEmptyChangesRecordNothing() {
        String t = newTenant("fail");
        String k = call("POST", "/tenants/" + t + "/keys", "{\"name\":\"k\"}", 201).path("id").asText();
        call("POST", "/keys/" + k + "/revoke", null, 200);
        String taken = call("GET", "/tenants/" + t, null, 200).path("name").asText();
        String newest = newestId();
        String[][] failures = {
                {"POST", "/tenants", "{\"name\":\"\"}", "400"},
                {"POST", "/tenants", "{\"name\":", "400"},
                {"POST", "/tenants", "{\"name\":\"" + taken.toUpperCase() + "\"}", "409"},
                {"PATCH", "/tenants/" + t, "{\"limits\":{\"rpm\":-1}}", "400"},
                {"PATCH", "/tenants/ten_missing", "{\"disabled\":true}", "404"},
                {"DELETE", "/tenants/ten_missing", null, "404"},
                {"POST", "/tenants/" + t + "/keys", "{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}", "400"},
                {"POST", "/tenants/ten_missing/keys", "{\"name\":\"x\"}", "404"},
                {"PATCH", "/keys/" + k, "{\"bogus\":1}", "400"},
                {"PATCH", "/keys/key_missing", "{\"name\":\"x\"}", "404"},
                {"POST", "/keys/key_missing/revoke", null, "404"},
                {"POST", "/keys/" + k + "/revoke", null, "200"},
                {"PUT", "/pricing", "{\"audit-bad\":{\"input_per_mtok\":-1}}", "400"},
                {"PUT", "/pricing", "[]", "400"},
        };
        for (String[] f : failures) {
            call(f[0], f[1], f[2], Integer.parseInt(f[3]));
        }
        assertThat(newestId()).as("no entry for a refused change or a revoke of a revoked key").isEqualTo(newest);
        assertThat(entries("target_id=" + k)).extracting(e -> e.path("action").asText()).containsExactly("key.revoke", "key.create");
    }

    @Test
    default void entriesCommitAndRollBackWithTheirChange() {
        ApplicationContext ctx = context();
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> tx = ctx.getBean(Argument.of(TransactionOperations.class, Connection.class));
        Principal admin = new Principal(admin().id(), "admin", Role.ADMIN, null);
        String t = newTenant("rollback");
        String name = "rolled-back-" + System.nanoTime();
        String newest = newestId();
        tx.executeWrite(status -> {
            ctx.getBean(TenantService.class).create(TestGateway.json("{\"name\":\"" + name + "\"}"), admin);
            ctx.getBean(KeyService.class).create(t, TestGateway.json("{\"name\":\"k\"}"), admin);
            ctx.getBean(TenantService.class).update(t, TestGateway.json("{\"disabled\":true}"), admin);
            status.setRollbackOnly();
            return null;
        });
        assertThat(newestId()).isEqualTo(newest);
        assertThat(call("GET", "/tenants/" + t + "/keys", null, 200).path("items")).isEmpty();
        assertThat(call("GET", "/tenants/" + t, null, 200).path("disabled").asBoolean()).isFalse();
        String again = call("POST", "/tenants", "{\"name\":\"" + name + "\"}", 201).path("id").asText();
        assertThat(entries("target_id=" + again)).hasSize(1);

        AuditLog log = ctx.getBean(AuditLog.class);
        assertThatThrownBy(() -> log.record(admin.actor(), AuditAction.TENANT_UPDATE, t, t, null, null))
                .as("an entry without a change's transaction").isInstanceOf(TransactionException.class)
                .hasMessageContaining("mandatory");
        assertThat(entries("target_id=" + t)).hasSize(1);
    }

    @Test
    default void filtersNarrowTheTrail() {
        String t = newTenant("filters");
        String other = newTenant("filters-other");
        String k = call("POST", "/tenants/" + t + "/keys", "{\"name\":\"k\"}", 201).path("id").asText();
        call("PATCH", "/keys/" + k, "{\"name\":\"k2\"}", 200);
        call("POST", "/keys/" + k + "/revoke", null, 200);
        call("PATCH", "/tenants/" + t, "{\"disabled\":true}", 200);
        String otherKey = call("POST", "/tenants/" + other + "/keys", "{\"name\":\"k\"}", 201).path("id").asText();

        List<JsonNode> trail = entries("tenant=" + t);
        assertThat(trail).extracting(e -> e.path("action").asText())
                .containsExactly("tenant.update", "key.revoke", "key.update", "key.create", "tenant.create");
        assertThat(entries("tenant=" + other)).extracting(e -> e.path("target_id").asText()).containsExactly(otherKey, other);
        assertThat(ids(entries("tenant=" + t + "&action=key.update"))).containsExactly(ids(trail).get(2));
        assertThat(ids(entries("tenant=" + t + "&target_type=key"))).containsExactly(ids(trail).subList(1, 4).toArray(String[]::new));
        assertThat(ids(entries("target_id=" + k))).isEqualTo(ids(trail).subList(1, 4));
        assertThat(ids(entries("target_type=tenant&target_id=" + t))).containsExactly(ids(trail).get(0), ids(trail).get(4));
        assertThat(ids(entries("target_type=key&target_id=" + t))).isEmpty();
        assertThat(ids(entries("action=tenant.create&target_id=" + other))).hasSize(1);
        assertThat(entries("action=key.create")).extracting(e -> e.path("target_id").asText()).contains(k, otherKey);

        // times: an entry's own 'at' as either bound includes it; dates are whole days (TOLLGATE_TIMEZONE, UTC here)
        Instant mid = Instant.parse(trail.get(2).path("at").asText());
        List<String> fromMid = trail.stream().filter(e -> !Instant.parse(e.path("at").asText()).isBefore(mid))
                .map(e -> e.path("id").asText()).toList();
        List<String> toMid = trail.stream().filter(e -> !Instant.parse(e.path("at").asText()).isAfter(mid))
                .map(e -> e.path("id").asText()).toList();
        assertThat(fromMid).contains(ids(trail).get(0), ids(trail).get(2));
        assertThat(toMid).contains(ids(trail).get(2), ids(trail).get(4));
        assertThat(ids(entries("tenant=" + t + "&from=" + mid))).isEqualTo(fromMid);
        assertThat(ids(entries("tenant=" + t + "&to=" + mid))).isEqualTo(toMid);
        assertThat(ids(entries("tenant=" + t + "&from=" + mid + "&to=" + mid))).contains(ids(trail).get(2))
                .hasSize(fromMid.size() + toMid.size() - trail.size());
        String plus2 = mid.atOffset(ZoneOffset.ofHours(2)).toString();
        assertThat(ids(entries("tenant=" + t + "&from=" + plus2.replace("+", "%2B")))).isEqualTo(fromMid);
        assertThat(ids(entries("tenant=" + t + "&from=" + plus2))).as("an unencoded '+'").isEqualTo(fromMid);
        String firstDay = Instant.parse(trail.get(4).path("at").asText()).atZone(ZoneOffset.UTC).toLocalDate().toString();
        String lastDay = Instant.parse(trail.get(0).path("at").asText()).atZone(ZoneOffset.UTC).toLocalDate().toString();
        assertThat(ids(entries("tenant=" + t + "&from=" + firstDay + "&to=" + lastDay))).isEqualTo(ids(trail));
        String dayBefore = java.time.LocalDate.parse(firstDay).minusDays(1).toString();
        String dayAfter = java.time.LocalDate.parse(lastDay).plusDays(1).toString();
        assertThat(entries("tenant=" + t + "&to=" + dayBefore)).isEmpty();
        assertThat(entries("tenant=" + t + "&from=" + dayAfter)).isEmpty();
    }

    @Test
    default void pagesWalkTheTrailNewestFirstWithoutGapsOrRepeats() {
        String t = newTenant("paging");
        for (int i = 0; i < 5; i++) {
            call("PATCH", "/tenants/" + t, "{\"limits\":{\"rpm\":" + (i + 1) + "}}", 200);
        }
        List<String> whole = ids(entries("tenant=" + t));
        assertThat(whole).hasSize(6);
        assertThat(walk("tenant=" + t, 2)).isEqualTo(whole);
        assertThat(walk("tenant=" + t, 6)).isEqualTo(whole);
        assertThat(walk("tenant=" + t, 4)).isEqualTo(whole);

        // entries of one instant are ordered by id, and a page may end between them
        String tied = "ten_tied" + System.nanoTime();
        Instant at = Instant.parse("2000-01-01T00:00:00Z");
        AuditRepository rows = context().getBean(AuditRepository.class);
        List<String> tiedIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            AuditRow row = rows.save(new AuditRow(Ids.next("aud"), at, "usr_x", "x", "tenant.update", "tenant", tied,
                    tied, null, null));
            tiedIds.add(row.id());
        }
        tiedIds.sort(Comparator.reverseOrder());
        assertThat(walk("tenant=" + tied, 2)).isEqualTo(tiedIds);

        List<JsonNode> everything = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = audit("?limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("items").forEach(everything::add);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        for (int i = 1; i < everything.size(); i++) {
            Instant newer = Instant.parse(everything.get(i - 1).path("at").asText());
            Instant older = Instant.parse(everything.get(i).path("at").asText());
            assertThat(newer.isAfter(older) || newer.equals(older)
                    && everything.get(i - 1).path("id").asText().compareTo(everything.get(i).path("id").asText()) > 0)
                    .as("entry %d is older than entry %d", i, i - 1).isTrue();
        }
        List<String> all = ids(everything);
        assertThat(all).doesNotHaveDuplicates().containsSubsequence(whole).containsSubsequence(tiedIds);
    }

    /** Every id of {@code filters}, fetched {@code limit} at a time. */
    private List<String> walk(String filters, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = audit("?limit=" + limit + "&" + filters + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.path("items").size()).isLessThanOrEqualTo(limit);
            page.path("items").forEach(e -> seen.add(e.path("id").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        return seen;
    }

    @Test
    default void badFiltersAnswer400NamingTheParameter() {
        String[][] cases = {
                {"action=tenant.explode", "action"},
                {"target_type=session", "target_type"},
                {"from=yesterday", "from"},
                {"from=2026-03-01T12:00:00", "from"},
                {"to=2026-13-01", "to"},
                {"from=%2B10000-01-01T00:00:00Z", "from"},
                {"from=2026-03-02&to=2026-03-01", "to"},
                {"tenant=" + "t".repeat(201), "tenant"},
                {"target_id=" + "k".repeat(201), "target_id"},
                {"actor=a%01b", "actor"},
                {"limit=0", "limit"},
                {"limit=501", "limit"},
                {"cursor=%27%20OR%201=1--", "cursor"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = gateway().admin("GET", "/audit?" + c[0], null);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode error = TestGateway.json(r.body()).path("error");
            assertThat(error.path("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(error.path("message").asText()).as(c[0]).startsWith(c[1] + " ");
        }
        HttpResponse<String> notANumber = gateway().admin("GET", "/audit?limit=abc", null);
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(notANumber.body()).path("error").path("message").asText()).contains("limit");
        assertThat(audit("?cursor=aud_unknown").path("items")).isEmpty();
        assertThat(audit("?tenant=&action=").path("items").size()).as("empty means absent").isPositive();
        HttpResponse<String> anonymous = gateway().send(HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api/audit")).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(gateway().send(HttpRequest.newBuilder(URI.create(gateway().proxyUrl() + "/admin/api/audit")).GET().build())
                .statusCode()).isEqualTo(404);
    }
}
