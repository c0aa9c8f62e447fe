// Why: integration tests start the real gateway in-process (both listeners, real storage) against a mock
// upstream, and talk to it over HTTP like any client.
package dev.tollgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.Application;
import dev.tollgate.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

public final class TestGateway implements AutoCloseable {
    public static final String PASSWORD = "test-admin-password";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Application.Running running;
    private final int port;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    private TestGateway(Application.Running running, int port, int adminPort) {
        this.running = running;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Starts a gateway; {@code env} holds the contract's variables (DATABASE_URL, REDIS_URL, OLLAMA_URL, ...). */
    public static TestGateway start(Map<String, String> env, Path dataDir) {
        int port = FreePorts.next();
        int adminPort = FreePorts.next();
        Map<String, String> all = new HashMap<>(env);
        all.put("TOLLGATE_PORT", Integer.toString(port));
        all.put("TOLLGATE_ADMIN_PORT", Integer.toString(adminPort));
        all.put("TOLLGATE_HOST", "127.0.0.1");
        all.put("TOLLGATE_DATA_DIR", dataDir.toString());
        all.putIfAbsent("TOLLGATE_ADMIN_PASSWORD", PASSWORD);
        return new TestGateway(Application.start(Settings.fromEnvironment(all)), port, adminPort);
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    public Application.Running running() {
        return running;
    }

    public HttpClient http() {
        return http;
    }

    public synchronized String adminToken() {
        if (token == null) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(adminUrl() + "/admin/api/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                    .build());
            token = json(r.body()).path("token").asText();
        }
        return token;
    }

    /** Calls the admin API as the super-admin. */
    public HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminUrl() + "/admin/api" + path))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    /** Creates a tenant and a key; answers the plaintext key. */
    public String tenantWithKey(String tenantName, String tenantModels, String keyModels) {
        HttpResponse<String> t = admin("POST", "/tenants", "{\"name\":\"" + tenantName + "\",\"allowed_models\":" + tenantModels + "}");
        if (t.statusCode() != 201) {
            throw new IllegalStateException("tenant creation failed: " + t.body());
        }
        String tenantId = json(t.body()).path("id").asText();
        HttpResponse<String> k = admin("POST", "/tenants/" + tenantId + "/keys", "{\"name\":\"k\",\"allowed_models\":" + keyModels + "}");
        if (k.statusCode() != 201) {
            throw new IllegalStateException("key creation failed: " + k.body());
        }
        return json(k.body()).path("key").asText();
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
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

    @Override
    public void close() {
        running.close();
    }
}
