// Why: the usage report and the request log are read in TOLLGATE_TIMEZONE; their contract suites run on a gateway
// in a zone with a half-hour offset from UTC, so a day boundary taken in the wrong zone cannot pass unnoticed.
package dev.tollgate;

import dev.tollgate.support.MockedGatewaySuite;
import dev.tollgate.support.TestGateway;
import java.util.Map;

abstract class UsageApiSuite extends MockedGatewaySuite implements UsageApiContract, RequestLogApiContract {
    @Override
    public TestGateway gateway() {
        return gateway;
    }

    @Override
    protected Map<String, String> suiteEnv() {
        return Map.of("TOLLGATE_TIMEZONE", "Asia/Kolkata");
    }
}
