// Why: upstreams are platform-wide, so only admins change them and tenant_admins do not see them; names are
// unique whatever their case (the index settles races), the api_key is kept but never shown, and each change
// is audited in its own transaction. The registry picks changes up on every replica within its 2 s reload.
package dev.tollgate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.access.Forbidden;
import dev.tollgate.access.Principal;
import dev.tollgate.access.Role;
import dev.tollgate.audit.AuditAction;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.storage.Ids;
import dev.tollgate.web.Conflict;
import dev.tollgate.web.JsonFields;
import dev.tollgate.web.NotFound;
import dev.tollgate.web.Page;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

@Singleton
public class UpstreamService {
    private final UpstreamRepository upstreams;
    private final AuditLog audit;
    private final Clock clock;

    public UpstreamService(UpstreamRepository upstreams, AuditLog audit, Clock clock) {
        this.upstreams = upstreams;
        this.audit = audit;
        this.clock = clock;
    }

    public Page<UpstreamView> list(Principal principal, Integer limit, String cursor) {
        requireReader(principal);
        int n = Page.limit(limit);
        return Page.of(upstreams.page(Page.cursor(cursor), n + 1), n, UpstreamRow::id, UpstreamView::of);
    }

    public UpstreamView get(Principal principal, String id) {
        requireReader(principal);
        return UpstreamView.of(row(id));
    }

    @Transactional
    public UpstreamView create(JsonNode body, Principal principal) {
        requireChanger(principal);
        JsonFields f = new JsonFields(body, UpstreamFields.NAMES);
        String name = UpstreamFields.name(f);
        String kind = UpstreamFields.kind(f);
        String baseUrl = UpstreamFields.baseUrl(f);
        String apiKey = f.has("api_key") ? UpstreamFields.apiKey(f) : null;
        int weight = f.has("weight") ? UpstreamFields.weight(f) : 1;
        boolean enabled = !f.has("enabled") || f.bool("enabled");
        requireFree(name, "");
        Instant now = now();
        UpstreamRow row = new UpstreamRow(Ids.next("ups"), name, kind, baseUrl, apiKey, weight, enabled, now, now);
        UpstreamView created = UpstreamView.of(Conflict.unlessTaken(() -> upstreams.save(row), "name", taken(name)));
        audit.record(principal.actor(), AuditAction.UPSTREAM_CREATE, created.id(), null, null, created);
        return created;
    }

    /** Changes only the members given; {@code "api_key": null} removes the key. */
    @Transactional
    public UpstreamView update(String id, JsonNode body, Principal principal) {
        requireChanger(principal);
        UpstreamRow row = row(id);
        JsonFields f = new JsonFields(body, UpstreamFields.NAMES);
        String name = f.has("name") ? UpstreamFields.name(f) : row.name();
        String kind = f.has("kind") ? UpstreamFields.kind(f) : row.kind();
        String baseUrl = f.has("base_url") ? UpstreamFields.baseUrl(f) : row.baseUrl();
        String apiKey = f.has("api_key") ? UpstreamFields.apiKey(f) : row.apiKey();
        int weight = f.has("weight") ? UpstreamFields.weight(f) : row.weight();
        boolean enabled = f.has("enabled") ? f.bool("enabled") : row.enabled();
        if (!name.equalsIgnoreCase(row.name())) {
            requireFree(name, id);
        }
        UpstreamRow updated = new UpstreamRow(id, name, kind, baseUrl, apiKey, weight, enabled, row.createdAt(), now());
        UpstreamView after = UpstreamView.of(Conflict.unlessTaken(() -> upstreams.update(updated), "name", taken(name)));
        audit.record(principal.actor(), AuditAction.UPSTREAM_UPDATE, id, null, UpstreamView.of(row), after);
        return after;
    }

    /** Deletes an upstream, the last enabled one included (model calls then answer 502 until one is enabled). */
    @Transactional
    public void delete(String id, Principal principal) {
        requireChanger(principal);
        UpstreamRow row = row(id);
        upstreams.deleteById(id);
        audit.record(principal.actor(), AuditAction.UPSTREAM_DELETE, id, null, UpstreamView.of(row), null);
    }

    /** Admins and viewers read upstreams; a tenant_admin manages one tenant and sees none of the platform's. */
    private static void requireReader(Principal principal) {
        if (principal.role() == Role.TENANT_ADMIN) {
            throw new Forbidden("Upstreams are platform-wide; only an admin or a viewer may see them "
                    + "(this account's role is tenant_admin).");
        }
    }

    private static void requireChanger(Principal principal) {
        principal.requireWrite();
        principal.requireAdmin();
    }

    private UpstreamRow row(String id) {
        return upstreams.findById(id).orElseThrow(() -> new NotFound("upstream"));
    }

    /** Now, at the precision the database keeps, so an answer shows the times a later read shows. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void requireFree(String name, String exceptId) {
        if (upstreams.nameTaken(name, exceptId)) {
            throw new Conflict("name", taken(name));
        }
    }

    private static String taken(String name) {
        return "an upstream named '" + name + "' already exists";
    }
}
