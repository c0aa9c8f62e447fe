// Why: the ledger suite in embedded mode (the embedded database).
package dev.tollgate;

import java.util.Map;

class LedgerEmbeddedTest extends LedgerContract {
    @Override
    protected Map<String, String> storageEnv() {
        return Map.of();
    }
}
