// Why: integration tests start the real gateway in-process (both listeners, real storage) against a mock
// upstream, and talk to it over HTTP like any client.
package dev.tollgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.Application;
import dev.tollgate.config.Settings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.tollgate.support.AdminClient.NewKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

public final class TestGateway implements AutoCloseable {
    public static final String PASSWORD = "test-admin-password";
    private final Application.Running running;
    private final int port;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AdminClient admin;

    private TestGateway(Application.Running running, int port, int adminPort) {
        this.running = running;
        this.port = port;
        this.adminPort = adminPort;
        this.admin = new AdminClient(adminUrl(), PASSWORD);
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
        return admin.token();
    }

    /** Calls the admin API as the super-admin. */
    public HttpResponse<String> admin(String method, String path, String body) {
        return admin.call(method, path, body);
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

    /** Creates a tenant with {@code tenantLimits} and a key with {@code keyLimits} (JSON objects or "null"). */
    public NewKey keyWithLimits(String tenantLimits, String keyLimits) {
        return admin.keyWithLimits(tenantLimits, keyLimits);
    }

    /** Another key of an existing tenant. */
    public NewKey keyFor(String tenantId, String keyLimits) {
        return admin.keyFor(tenantId, keyLimits);
    }

    public HttpResponse<String> send(HttpRequest request) {
        return AdminClient.send(http, request);
    }

    public static JsonNode json(String body) {
        return AdminClient.json(body);
    }

    @Override
    public void close() {
        running.close();
    }
}
