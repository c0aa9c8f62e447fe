// Why: key lifecycle (create with a one-time plaintext, list, read, revoke) independent of HTTP.
package dev.tollgate.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.access.Principal;
import dev.tollgate.audit.AuditAction;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.limits.Limits;
import dev.tollgate.limits.LimitsParser;
import dev.tollgate.storage.Ids;
import dev.tollgate.storage.JsonColumns;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.tenants.TenantRow;
import dev.tollgate.web.FieldError;
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
public class KeyService {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "limits", "allowed_models", "expires_at",
            "log_prompts");
    private final KeyRepository keys;
    private final TenantRepository tenants;
    private final KeyHasher hasher;
    private final KeyChanges changes;
    private final AuditLog audit;
    private final Clock clock;

    public KeyService(KeyRepository keys, TenantRepository tenants, KeyHasher hasher, KeyChanges changes,
                      AuditLog audit, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.hasher = hasher;
        this.changes = changes;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public ApiKey create(String tenantId, JsonNode body, Principal principal) {
        principal.requireSees(tenantId, "tenant");
        principal.requireWrite();
        TenantRow tenant = tenants.findByIdAndDeletedAtIsNull(tenantId).orElseThrow(() -> new NotFound("tenant"));
        JsonFields f = new JsonFields(body, CREATE_FIELDS);
        String name = f.text("name", 1, 200);
        Limits limits = LimitsParser.parse(f.raw("limits"), Limits.NONE, "limits");
        List<String> models = f.models("allowed_models");
        Instant expires = f.instant("expires_at");
        boolean logPrompts = f.has("log_prompts") && f.bool("log_prompts");
        withinTenant(principal, tenant, limits, Limits.NONE, models);
        Instant now = clock.instant();
        if (expires != null && !expires.isAfter(now)) {
            throw new FieldError("expires_at", "must be in the future");
        }
        String plaintext = ApiKeyFormat.generate();
        KeyRow row = new KeyRow(Ids.next("key"), tenantId, name, hasher.hash(plaintext), ApiKeyFormat.shownPrefix(plaintext),
                JsonColumns.limits(limits), JsonColumns.models(models), expires, null, now, now, null, logPrompts);
        KeyRow saved = keys.save(row);
        audit.record(principal.actor(), AuditAction.KEY_CREATE, saved.id(), tenantId, null, ApiKey.of(saved, now, null));
        return ApiKey.of(saved, now, plaintext);
    }

    public Page<ApiKey> list(Principal principal, String tenantId, Integer limit, String cursor) {
        principal.requireSees(tenantId, "tenant");
        tenants.findByIdAndDeletedAtIsNull(tenantId).orElseThrow(() -> new NotFound("tenant"));
        int n = Page.limit(limit);
        Instant now = clock.instant();
        return Page.of(keys.pageForTenant(tenantId, Page.cursor(cursor), n + 1), n, KeyRow::id,
                r -> ApiKey.of(r, now, null));
    }

    public ApiKey get(Principal principal, String id) {
        return ApiKey.of(row(principal, id), clock.instant(), null);
    }

    /** Changes name, limits (merged like a tenant's), allowed models, expiry or prompt logging; the change reaches every replica within 2 s. */
    @Transactional
    public ApiKey update(String id, JsonNode body, Principal principal) {
        KeyRow row = row(principal, id);
        principal.requireWrite();
        JsonFields f = new JsonFields(body, CREATE_FIELDS);
        String name = f.has("name") ? f.text("name", 1, 200) : row.name();
        Limits limits = LimitsParser.patched(f, row.limits());
        String models = f.has("allowed_models") ? JsonColumns.models(f.models("allowed_models")) : row.allowedModels();
        Instant now = clock.instant();
        Instant expires = row.expiresAt();
        if (f.has("expires_at")) {
            expires = f.instant("expires_at");
            if (expires != null && !expires.isAfter(now)) {
                throw new FieldError("expires_at", "must be in the future");
            }
        }
        boolean logPrompts = f.has("log_prompts") ? f.bool("log_prompts") : row.logPrompts();
        withinTenant(principal, tenants.findByIdAndDeletedAtIsNull(row.tenantId()).orElseThrow(), limits,
                JsonColumns.limits(row.limits()), f.has("allowed_models") ? JsonColumns.models(models) : null);
        KeyRow updated = new KeyRow(row.id(), row.tenantId(), name, row.keyHash(), row.prefix(), JsonColumns.limits(limits),
                models, expires, row.revokedAt(), row.createdAt(), now, row.lastUsedAt(), logPrompts);
        keys.update(updated);
        ApiKey after = ApiKey.of(updated, now, null);
        audit.record(principal.actor(), AuditAction.KEY_UPDATE, id, row.tenantId(), ApiKey.of(row, now, null), after);
        changes.key(row.keyHash());
        return after;
    }

    /** Revokes a key now; revoking a revoked key changes nothing (and records nothing). */
    @Transactional
    public ApiKey revoke(String id, Principal principal) {
        KeyRow row = row(principal, id);
        principal.requireWrite();
        Instant now = clock.instant();
        if (row.revokedAt() != null && !row.revokedAt().isAfter(now)) {
            return ApiKey.of(row, now, null);
        }
        KeyRow revoked = new KeyRow(row.id(), row.tenantId(), row.name(), row.keyHash(), row.prefix(), row.limits(),
                row.allowedModels(), row.expiresAt(), now, row.createdAt(), now, row.lastUsedAt(), row.logPrompts());
        keys.update(revoked);
        ApiKey after = ApiKey.of(revoked, now, null);
        audit.record(principal.actor(), AuditAction.KEY_REVOKE, id, row.tenantId(), ApiKey.of(row, now, null), after);
        changes.key(row.keyHash());
        return after;
    }

    /** A tenant_admin's key limits and models stay within its tenant's (400 naming the field otherwise). */
    private static void withinTenant(Principal principal, TenantRow tenant, Limits limits, Limits before,
                                     List<String> models) {
        if (principal.confinedTo() != null) {
            WithinTenant.limits(limits, before, JsonColumns.limits(tenant.limits()));
            WithinTenant.models(models, JsonColumns.models(tenant.allowedModels()));
        }
    }

    /** A key of a live tenant the caller may see; any other id answers 404 alike. */
    /** The key with this id if the principal may see it (its tenant live and visible), else 404 like a missing id. */
    KeyRow row(Principal principal, String id) {
        KeyRow row = keys.findById(id).orElseThrow(() -> new NotFound("key"));
        principal.requireSees(row.tenantId(), "key");
        tenants.findByIdAndDeletedAtIsNull(row.tenantId()).orElseThrow(() -> new NotFound("key"));
        return row;
    }
}
