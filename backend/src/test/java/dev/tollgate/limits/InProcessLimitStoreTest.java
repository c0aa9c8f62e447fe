// Why: the in-process store (embedded mode) passes the shared LimitStore contract.
package dev.tollgate.limits;

class InProcessLimitStoreTest extends LimitStoreContract {
    @Override
    protected LimitStore newStore() {
        return new InProcessLimitStore(ZONE);
    }
}
