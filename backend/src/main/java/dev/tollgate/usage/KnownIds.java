// Why: a report or list filtered on a tenant or key that never existed answers 404, as the admin API does for
// any id the caller cannot see, instead of an empty answer that hides a typo; deleted tenants still exist.
package dev.tollgate.usage;

import dev.tollgate.access.Principal;
import dev.tollgate.keys.KeyRepository;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.web.NotFound;
import jakarta.inject.Singleton;

@Singleton
public class KnownIds {
    private final TenantRepository tenants;
    private final KeyRepository keys;

    public KnownIds(TenantRepository tenants, KeyRepository keys) {
        this.tenants = tenants;
        this.keys = keys;
    }

    /** Throws {@link NotFound} unless each given id names a tenant (deleted or not) or a key. */
    public void require(String tenant, String key) {
        if (tenant != null && !tenants.existsById(tenant)) {
            throw new NotFound("tenant");
        }
        if (key != null && !keys.existsById(key)) {
            throw new NotFound("key");
        }
    }

    /**
     * The tenant a report or list of {@code principal} is confined to: the filter as given, or a tenant_admin's own
     * tenant, for which another tenant or another tenant's key answers 404 exactly like an unknown id.
     */
    public String scope(Principal principal, String tenant, String key) {
        require(tenant, key);
        String own = principal.confinedTo();
        if (own == null) {
            return tenant;
        }
        principal.requireSees(tenant == null ? own : tenant, "tenant");
        if (key != null && !keys.findById(key).map(k -> own.equals(k.tenantId())).orElse(false)) {
            throw new NotFound("key");
        }
        return own;
    }
}
