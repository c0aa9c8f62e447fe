// Why: the contract suite in embedded mode (embedded database, in-process limit state).
package dev.tollgate;

import java.util.Map;

class EmbeddedModeTest extends GatewayContract {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of();
    }
}
