// Why: the contract suite in production mode, on the real Postgres and Redis.
package dev.tollgate;

import dev.tollgate.support.ExternalServices;
import java.util.Map;

class ProductionModeTest extends GatewayContract {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of("DATABASE_URL", ExternalServices.freshDatabase(), "REDIS_URL", ExternalServices.redis());
    }
}
