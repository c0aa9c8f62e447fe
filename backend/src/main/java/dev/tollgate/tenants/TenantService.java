// Why: tenant lifecycle rules (unique names, soft delete that revokes keys and keeps usage) live here,
// independent of HTTP.
package dev.tollgate.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.access.Principal;
import dev.tollgate.audit.AuditAction;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.keys.KeyChanges;
import dev.tollgate.keys.KeyRepository;
import dev.tollgate.limits.Limits;
import dev.tollgate.limits.LimitsParser;
import dev.tollgate.storage.Ids;
import dev.tollgate.storage.JsonColumns;
import dev.tollgate.web.Conflict;
import dev.tollgate.web.JsonFields;
import dev.tollgate.web.NotFound;
import dev.tollgate.web.Page;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

@Singleton
public class TenantService {
    private static final Set<String> FIELDS = Set.of("name", "limits", "allowed_models", "disabled");
    private final TenantRepository tenants;
    private final KeyRepository keys;
    private final AuditLog audit;
    private final Clock clock;
    private final KeyChanges changes;

    public TenantService(TenantRepository tenants, KeyRepository keys, AuditLog audit, Clock clock, KeyChanges changes) {
        this.tenants = tenants;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.changes = changes;
    }

    @Transactional
    public Tenant create(JsonNode body, Principal principal) {
        principal.requireAdmin();
        JsonFields f = new JsonFields(body, FIELDS);
        String name = f.text("name", 1, 200);
        Limits limits = LimitsParser.parse(f.raw("limits"), Limits.NONE, "limits");
        List<String> models = f.models("allowed_models");
        boolean disabled = f.has("disabled") && f.bool("disabled");
        if (tenants.nameTaken(name, "")) {
            throw new Conflict("name", taken(name));
        }
        Instant now = clock.instant();
        TenantRow row = new TenantRow(Ids.next("ten"), name, JsonColumns.limits(limits), JsonColumns.models(models),
                disabled, now, now, null);
        Tenant created = Tenant.of(Conflict.unlessTaken(() -> tenants.save(row), "name", taken(name)));
        audit.record(principal.actor(), AuditAction.TENANT_CREATE, created.id(), created.id(), null, created);
        return created;
    }

    /** Every live tenant; a tenant_admin's list holds only its own tenant. */
    public Page<Tenant> list(Principal principal, Integer limit, String cursor) {
        int n = Page.limit(limit);
        String after = Page.cursor(cursor);
        String own = principal.confinedTo();
        List<TenantRow> rows = own == null ? tenants.page(after, n + 1)
                : tenants.findByIdAndDeletedAtIsNull(own).filter(t -> t.id().compareTo(after) > 0).stream().toList();
        return Page.of(rows, n, TenantRow::id, Tenant::of);
    }

    public Tenant get(Principal principal, String id) {
        principal.requireSees(id, "tenant");
        return Tenant.of(row(id));
    }

    TenantRow row(String id) {
        return tenants.findByIdAndDeletedAtIsNull(id).orElseThrow(() -> new NotFound("tenant"));
    }

    @Transactional
    public Tenant update(String id, JsonNode body, Principal principal) {
        principal.requireSees(id, "tenant");
        principal.requireAdmin();
        TenantRow row = row(id);
        JsonFields f = new JsonFields(body, FIELDS);
        String name = f.has("name") ? f.text("name", 1, 200) : row.name();
        Limits limits = LimitsParser.patched(f, row.limits());
        String models = f.has("allowed_models") ? JsonColumns.models(f.models("allowed_models")) : row.allowedModels();
        boolean disabled = f.has("disabled") ? f.bool("disabled") : row.disabled();
        if (!name.equalsIgnoreCase(row.name()) && tenants.nameTaken(name, id)) {
            throw new Conflict("name", taken(name));
        }
        TenantRow updated = new TenantRow(id, name, JsonColumns.limits(limits), models, disabled, row.createdAt(),
                clock.instant(), null);
        Tenant after = Tenant.of(Conflict.unlessTaken(() -> tenants.update(updated), "name", taken(name)));
        audit.record(principal.actor(), AuditAction.TENANT_UPDATE, id, id, Tenant.of(row), after);
        changes.tenant(id);
        return after;
    }

    /** Deletes a tenant: its keys are revoked at once, its rows stay for usage history. */
    @Transactional
    public void delete(String id, Principal principal) {
        principal.requireSees(id, "tenant");
        principal.requireAdmin();
        TenantRow row = row(id);
        Instant now = clock.instant();
        keys.revokeAllOfTenant(id, now);
        tenants.update(new TenantRow(row.id(), row.name(), row.limits(), row.allowedModels(), true, row.createdAt(), now, now));
        audit.record(principal.actor(), AuditAction.TENANT_DELETE, id, id, Tenant.of(row), null);
        changes.tenant(id);
    }

    private static String taken(String name) {
        return "a tenant named '" + name + "' already exists";
    }
}
