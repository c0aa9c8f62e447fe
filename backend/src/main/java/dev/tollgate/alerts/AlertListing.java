// Why: the admin API lists alert events newest first, for every tenant or one, in the house paging shape.
package dev.tollgate.alerts;

import dev.tollgate.access.Principal;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.web.NotFound;
import dev.tollgate.web.Page;
import jakarta.inject.Singleton;

@Singleton
public class AlertListing {
    private final AlertRepository alerts;
    private final TenantRepository tenants;

    public AlertListing(AlertRepository alerts, TenantRepository tenants) {
        this.alerts = alerts;
        this.tenants = tenants;
    }

    /**
     * A page of events, newest first; {@code asked} (optional) must name a live tenant; a tenant_admin sees only its
     * own tenant's events (another tenant answers 404).
     */
    public Page<AlertView> list(Principal principal, String asked, Integer limit, String cursor) {
        String tenant = asked;
        if (principal.confinedTo() != null) {
            principal.requireSees(asked == null || asked.isEmpty() ? principal.confinedTo() : asked, "tenant");
            tenant = principal.confinedTo();
        }
        int n = Page.limit(limit);
        String before = Page.cursor(cursor);
        if (tenant == null || tenant.isEmpty()) {
            return Page.of(alerts.page(before, n + 1), n, AlertRow::id, AlertView::of);
        }
        tenants.findByIdAndDeletedAtIsNull(tenant).orElseThrow(() -> new NotFound("tenant"));
        return Page.of(alerts.pageForTenant(tenant, before, n + 1), n, AlertRow::id, AlertView::of);
    }
}
