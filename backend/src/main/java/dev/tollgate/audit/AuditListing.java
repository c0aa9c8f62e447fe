// Why: the admin API lists the audit trail newest first, filtered and in the house paging shape; before and
// after go out as JSON objects, their decimals (prices, budgets) exactly as stored.
package dev.tollgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.access.Principal;
import dev.tollgate.web.NotFound;
import dev.tollgate.web.Page;
import jakarta.inject.Singleton;

@Singleton
public class AuditListing {
    private final AuditRepository rows;
    private final ObjectReader reader;

    public AuditListing(AuditRepository rows, ObjectMapper mapper) {
        this.rows = rows;
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true));
    }

    /**
     * A page of entries matching {@code asked}, newest first. A tenant_admin sees only entries of its own tenant;
     * naming another tenant, or a target id that no entry of its tenant names (another tenant's, or none), answers
     * 404, so another tenant's ids look exactly like unknown ones.
     */
    public Page<AuditEntry> list(Principal principal, AuditFilter asked, Integer limit, String cursor) {
        AuditFilter filter = asked;
        String own = principal.confinedTo();
        if (own != null) {
            principal.requireSees(asked.tenantId() == null ? own : asked.tenantId(), "tenant");
            if (asked.targetId() != null && !rows.targetOfTenant(asked.targetId(), own)) {
                throw new NotFound("target");
            }
            filter = asked.withTenant(own);
        }
        int n = Page.limit(limit);
        return Page.of(rows.page(filter, Page.cursor(cursor), n + 1), n, AuditRow::id, this::entry);
    }

    private AuditEntry entry(AuditRow r) {
        return new AuditEntry(r.id(), r.at(), new Actor(r.actorId(), r.actorName()), r.action(), r.targetType(),
                r.targetId(), r.tenantId(), json(r.before()), json(r.after()));
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return reader.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON in audit_log: " + e.getOriginalMessage(), e);
        }
    }
}
