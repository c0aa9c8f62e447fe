// Why: the in-process suites share one lifecycle: a mock upstream, a gateway in the storage mode under test in
// front of it, both stopped at the end, and the mock reset before every test.
package dev.tollgate.support;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockUpstream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MockedGatewaySuite {
    protected MockUpstream mock;
    protected TestGateway gateway;

    /** The storage variables of the mode under test (DATABASE_URL, REDIS_URL or none). */
    protected abstract Map<String, String> storageEnv();

    /** Further variables of the suite. */
    protected abstract Map<String, String> suiteEnv();

    /** Runs once the gateway is up (create the suite's tenants and keys). */
    protected void started() {
    }

    @BeforeAll
    void startGateway() throws Exception {
        mock = MockUpstream.start(new MockConfig().port(0).tokens(3).delayMs(0));
        Map<String, String> env = new HashMap<>(storageEnv());
        env.putAll(suiteEnv());
        env.put("OLLAMA_URL", mock.baseUrl());
        gateway = TestGateway.start(env, Files.createTempDirectory("tollgate-it"));
        started();
    }

    @AfterAll
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @BeforeEach
    void resetMock() {
        mock.config().tokens(3).delayMs(0);
        mock.resetStats();
    }
}
