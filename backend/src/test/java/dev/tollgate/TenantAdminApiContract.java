// Why: a tenant_admin manages one tenant's keys and reads its usage; what it sees is narrowed to that tenant (lists
// included, not only lookups by id) and the key limits and models it sets stay within the tenant's. These checks
// run in every storage mode through GatewayContract; the status of every route per role is in the matrix.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.support.AdminClient;
import dev.tollgate.support.AdminUsers;
import dev.tollgate.support.LoggedCalls;
import dev.tollgate.support.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admin API checks of what a tenant_admin sees and sets; a test class supplies the running gateway. */
public interface TenantAdminApiContract {
    TestGateway gateway();

    private static JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return TestGateway.json(r.body());
    }

    private String tenant(String limits, String models) {
        return ok(gateway().admin("POST", "/tenants", "{\"name\":\"scoped-" + System.nanoTime() + "\",\"limits\":" + limits
                + ",\"allowed_models\":" + models + "}"), 201).path("id").asText();
    }

    private static List<String> values(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path(field).asText()));
        return out;
    }

    @Test
    default void keyLimitsAndModelsOfATenantAdminStayWithinItsTenants() {
        String limits = "{\"rpm\":100,\"daily_tokens\":5000,\"budget\":{\"amount\":10,\"window\":\"monthly\"}}";
        String t = tenant(limits, "[\"llama3.2\",\"qwen*\"]");
        AdminClient ta = AdminUsers.create(gateway(), "bounded", "tenant_admin", t).client();
        String keys = "/tenants/" + t + "/keys";
        String[][] refused = {
            {"{\"name\":\"k\",\"limits\":{\"rpm\":101}}", "limits.rpm"},
            {"{\"name\":\"k\",\"limits\":{\"daily_tokens\":5001}}", "limits.daily_tokens"},
            {"{\"name\":\"k\",\"limits\":{\"budget\":{\"amount\":10.01,\"window\":\"monthly\"}}}", "limits.budget.amount"},
            {"{\"name\":\"k\",\"allowed_models\":[\"llama3.2\",\"mistral\"]}", "allowed_models[1]"},
            {"{\"name\":\"k\",\"allowed_models\":[\"q*\"]}", "allowed_models[0]"},
        };
        for (String[] c : refused) {
            HttpResponse<String> r = ta.call("POST", keys, c[0]);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r.body()).path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(ok(gateway().admin("GET", keys, null), 200).path("items")).as("nothing created").isEmpty();

        JsonNode key = ok(ta.call("POST", keys, "{\"name\":\"k\",\"limits\":{\"rpm\":100,\"tpm\":999999,"
                + "\"budget\":{\"amount\":10,\"window\":\"monthly\"}},\"allowed_models\":[\"llama3.2:latest\",\"qwen2*\"]}"), 201);
        String id = key.path("id").asText();
        ok(ta.call("POST", keys, "{\"name\":\"daily\",\"limits\":{\"budget\":{\"amount\":50,\"window\":\"daily\"}}}"), 201);
        HttpResponse<String> over = ta.call("PATCH", "/keys/" + id, "{\"limits\":{\"rpm\":500}}");
        assertThat(TestGateway.json(over.body()).path("error").path("field").asText()).isEqualTo("limits.rpm");
        HttpResponse<String> models = ta.call("PATCH", "/keys/" + id, "{\"allowed_models\":[\"gpt-4o\"]}");
        assertThat(TestGateway.json(models.body()).path("error").path("field").asText()).isEqualTo("allowed_models[0]");
        assertThat(ok(ta.call("GET", "/keys/" + id, null), 200).path("limits").path("rpm").asLong()).isEqualTo(100);

        // an admin is not bound by the tenant's limits; a tenant_admin may then change other fields of that key
        ok(gateway().admin("PATCH", "/keys/" + id, "{\"limits\":{\"rpm\":500}}"), 200);
        assertThat(ok(ta.call("PATCH", "/keys/" + id, "{\"name\":\"renamed\",\"limits\":{\"concurrency\":2}}"), 200)
                .path("limits").path("rpm").asLong()).isEqualTo(500);
    }

    @Test
    default void aTenantAdminsListsHoldOnlyItsTenant() {
        String own = tenant("{}", "null");
        String other = tenant("{}", "null");
        JsonNode ownKey = ok(gateway().admin("POST", "/tenants/" + own + "/keys", "{\"name\":\"o\"}"), 201);
        JsonNode otherKey = ok(gateway().admin("POST", "/tenants/" + other + "/keys", "{\"name\":\"x\"}"), 201);
        String ownRequest = LoggedCalls.chat(gateway(), ownKey.path("key").asText());
        String otherRequest = LoggedCalls.chat(gateway(), otherKey.path("key").asText());
        AdminClient ta = AdminUsers.create(gateway(), "scoped", "tenant_admin", own).client();

        JsonNode tenants = ok(ta.call("GET", "/tenants?limit=500", null), 200);
        assertThat(values(tenants.path("items"), "id")).containsExactly(own);
        assertThat(ok(ta.call("GET", "/tenants?cursor=" + own, null), 200).path("items")).isEmpty();

        JsonNode usage = ok(ta.call("GET", "/usage?group_by=tenant", null), 200);
        assertThat(values(usage.path("rows"), "tenant_id")).containsExactly(own);
        assertThat(usage.path("totals").path("requests").asLong()).isEqualTo(1);
        JsonNode byKey = ok(ta.call("GET", "/usage?group_by=key&key=" + ownKey.path("id").asText(), null), 200);
        assertThat(byKey.path("rows")).hasSize(1);

        List<String> requests = values(ok(ta.call("GET", "/requests?limit=500", null), 200).path("items"), "id");
        assertThat(requests).containsExactly(ownRequest).doesNotContain(otherRequest);

        JsonNode audit = ok(ta.call("GET", "/audit?limit=500", null), 200);
        assertThat(values(audit.path("items"), "tenant_id")).isNotEmpty().containsOnly(own);
        assertThat(values(ok(ta.call("GET", "/audit?target_id=" + ownKey.path("id").asText(), null), 200)
                .path("items"), "action")).containsExactly("key.create");
        assertThat(ok(ta.call("GET", "/alerts", null), 200).path("items")).isEmpty();
    }
}
