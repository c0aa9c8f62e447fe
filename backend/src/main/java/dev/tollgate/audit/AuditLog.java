// Why: every admin change writes its audit entry in the change's own transaction, so a change that fails
// leaves no entry and a committed change always has one.
package dev.tollgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.storage.Ids;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;

@Singleton
public class AuditLog {
    private final AuditRepository rows;
    private final ObjectMapper mapper;
    private final Clock clock;

    public AuditLog(AuditRepository rows, ObjectMapper mapper, Clock clock) {
        this.rows = rows;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Records one change. {@code before} and {@code after} are the target as the admin API shows it (null before
     * a create, after a delete). Fails outside a transaction: the caller's change must commit with the entry.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void record(Actor actor, AuditAction action, @Nullable String targetId, @Nullable String tenantId,
                       @Nullable Object before, @Nullable Object after) {
        rows.save(new AuditRow(Ids.next("aud"), clock.instant(), actor.id(), actor.username(), action.code(),
                action.targetType(), targetId, tenantId, json(before), json(after)));
    }

    private String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit value as JSON", e);
        }
    }
}
