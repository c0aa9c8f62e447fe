// Why: the usage-data contract suites (UsageApiSuite) in production mode, on the real Postgres and Redis.
package dev.tollgate;

import dev.tollgate.support.ExternalServices;
import java.util.Map;

class UsageApiProductionTest extends UsageApiSuite {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of("DATABASE_URL", ExternalServices.freshDatabase(), "REDIS_URL", ExternalServices.redis());
    }
}
