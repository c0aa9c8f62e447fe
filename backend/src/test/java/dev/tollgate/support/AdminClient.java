// Why: tests drive the admin API like an operator's script does: log in as the super-admin, then create tenants
// and keys with limits. Shared by the in-process gateway and by jar replicas.
package dev.tollgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String adminUrl;
    private final String username;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    public AdminClient(String adminUrl, String password) {
        this(adminUrl, "admin", password);
    }

    /** A client logged in as another admin user. */
    public AdminClient(String adminUrl, String username, String password) {
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
    }

    /** A key (and its tenant) created through the admin API. */
    public record NewKey(String key, String keyId, String tenantId) {
    }

    public synchronized String token() {
        if (token == null) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(adminUrl + "/admin/api/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                    .build());
            token = json(r.body()).path("token").asText();
        }
        return token;
    }

    /** Calls {@code /admin/api<path>} as this client's user. */
    public HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminUrl + "/admin/api" + path))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    /** Creates a tenant with {@code tenantLimits} and a key with {@code keyLimits} (JSON objects or "null"). */
    public NewKey keyWithLimits(String tenantLimits, String keyLimits) {
        HttpResponse<String> t = call("POST", "/tenants", "{\"name\":\"limited-" + System.nanoTime() + "\",\"limits\":" + tenantLimits + "}");
        if (t.statusCode() != 201) {
            throw new IllegalStateException("tenant creation failed: " + t.body());
        }
        return keyFor(json(t.body()).path("id").asText(), keyLimits);
    }

    /** Another key of an existing tenant. */
    public NewKey keyFor(String tenantId, String keyLimits) {
        HttpResponse<String> k = call("POST", "/tenants/" + tenantId + "/keys", "{\"name\":\"k\",\"limits\":" + keyLimits + "}");
        if (k.statusCode() != 201) {
            throw new IllegalStateException("key creation failed: " + k.body());
        }
        JsonNode node = json(k.body());
        return new NewKey(node.path("key").asText(), node.path("id").asText(), tenantId);
    }

    private HttpResponse<String> send(HttpRequest request) {
        return send(http, request);
    }

    /** Sends and reads the body as text; a network failure fails the test. */
    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
