// Why: in embedded mode tenants and keys must survive a restart of the process.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.support.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedRestartTest {

    @Test
    void dataSurvivesARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("tollgate-restart");
        try (MockUpstream mock = MockUpstream.start(new MockConfig().port(0).tokens(1))) {
            Map<String, String> env = Map.of("OLLAMA_URL", mock.baseUrl());
            String key;
            try (TestGateway first = TestGateway.start(env, dataDir)) {
                key = first.tenantWithKey("survivor", "null", "null");
            }
            try (TestGateway second = TestGateway.start(env, dataDir)) {
                var r = second.send(HttpRequest.newBuilder(URI.create(second.proxyUrl() + "/api/chat"))
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[]}")).build());
                assertThat(r.statusCode()).isEqualTo(200);
                var tenants = TestGateway.json(second.admin("GET", "/tenants", null).body());
                assertThat(tenants.path("items")).extracting(t -> t.path("name").asText()).containsExactly("survivor");
            }
        }
    }
}
