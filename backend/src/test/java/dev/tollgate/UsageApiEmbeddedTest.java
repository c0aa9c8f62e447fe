// Why: the usage-data contract suites (UsageApiSuite) in embedded mode (embedded database, in-process limit state).
package dev.tollgate;

import java.util.Map;

class UsageApiEmbeddedTest extends UsageApiSuite {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of();
    }
}
