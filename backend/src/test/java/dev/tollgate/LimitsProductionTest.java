// Why: the limits suite in production mode (Redis limit state, Postgres).
package dev.tollgate;

import dev.tollgate.support.ExternalServices;
import java.util.Map;

class LimitsProductionTest extends LimitsContract {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of("DATABASE_URL", ExternalServices.freshDatabase(), "REDIS_URL", ExternalServices.redis());
    }
}
