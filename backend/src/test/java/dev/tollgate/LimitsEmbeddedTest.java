// Why: the limits suite in embedded mode (in-process limit state).
package dev.tollgate;

import java.util.Map;

class LimitsEmbeddedTest extends LimitsContract {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of();
    }
}
