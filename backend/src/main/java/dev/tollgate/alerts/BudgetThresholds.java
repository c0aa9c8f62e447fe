// Why: the soft side of a budget. After every admission the limit engine knows each budget's used amount (settled
// plus reserved, this request included); when that reaches alert_at of the amount, the budget's owner must hear of
// it once per window. This listener spots the crossing; BudgetAlerts records it once and calls the webhook.
package dev.tollgate.alerts;

import dev.tollgate.config.Settings;
import dev.tollgate.keys.Caller;
import dev.tollgate.limits.Admission;
import dev.tollgate.limits.AdmissionListener;
import dev.tollgate.limits.Limits;
import dev.tollgate.limits.Meter;
import dev.tollgate.limits.MeterPlan;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

@Singleton
public class BudgetThresholds implements AdmissionListener {
    private final BudgetAlerts alerts;
    private final ZoneId zone;

    public BudgetThresholds(BudgetAlerts alerts, Settings settings) {
        this.alerts = alerts;
        this.zone = settings.timezone();
    }

    @Override
    public void admitted(Caller caller, Admission.Admitted admission, Instant now) {
        for (Admission.MeterState state : admission.meters()) {
            Meter meter = state.meter();
            if (meter.quantity() != Meter.Quantity.MICROS) {
                continue;
            }
            boolean tenant = meter.scope().equals(MeterPlan.TENANT_SCOPE);
            Limits limits = tenant ? caller.tenantLimits() : caller.keyLimits();
            if (limits == null || limits.budget() == null || limits.budget().alertAt() == null) {
                continue;
            }
            Limits.Budget budget = limits.budget();
            BigDecimal threshold = budget.alertAt().multiply(BigDecimal.valueOf(meter.limit()));
            if (BigDecimal.valueOf(state.used()).compareTo(threshold) >= 0) {
                alerts.crossed(new BudgetAlert(caller.tenantId(), tenant ? null : caller.keyId(), budget.window(),
                        BudgetAlert.windowStart(budget.window(), now, zone), meter.limit(), state.used(),
                        budget.alertAt(), now));
            }
        }
    }
}
