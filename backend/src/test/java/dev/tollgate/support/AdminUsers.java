// Why: role tests act as users of each role; they create them through the admin API (as the super-admin) and
// log in as them like any client would.
package dev.tollgate.support;

import java.net.http.HttpResponse;

public final class AdminUsers {
    public static final String PASSWORD = "role-test-password-1";

    private AdminUsers() {
    }

    /** A user created through the API: its id and a client logged in as it. */
    public record Account(String id, String username, AdminClient client) {
    }

    /** Creates a user named {@code prefix-<unique>} with {@code role} (and {@code tenantId}, or null). */
    public static Account create(TestGateway gateway, String prefix, String role, String tenantId) {
        String username = prefix + "-" + System.nanoTime();
        String tenant = tenantId == null ? "" : ",\"tenant_id\":\"" + tenantId + "\"";
        HttpResponse<String> r = gateway.admin("POST", "/users", "{\"username\":\"" + username + "\",\"password\":\""
                + PASSWORD + "\",\"role\":\"" + role + "\"" + tenant + "}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("user creation failed: " + r.body());
        }
        return new Account(TestGateway.json(r.body()).path("id").asText(), username,
                new AdminClient(gateway.adminUrl(), username, PASSWORD));
    }
}
