// Why: the ledger suite in production mode (Postgres, Redis).
package dev.tollgate;

import dev.tollgate.support.ExternalServices;
import java.util.Map;

class LedgerProductionTest extends LedgerContract {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of("DATABASE_URL", ExternalServices.freshDatabase(), "REDIS_URL", ExternalServices.redis());
    }
}
