// Why: the admin API lists the audit trail newest first, filtered and in the house paging shape; before and
// after go out as JSON objects, their decimals (prices, budgets) exactly as stored.
package dev.tollgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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

    public Page<AuditEntry> list(AuditFilter filter, Integer limit, String cursor) {
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
