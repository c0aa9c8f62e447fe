// Why: all SQL about the audit trail. The list's WHERE clause is built from the filters actually given, so
// Postgres plans each query with just those conditions and can walk the matching (…, at, id) index.
package dev.tollgate.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.annotation.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class AuditRepository implements GenericRepository<AuditRow, String> {
    private final JdbcOperations jdbc;

    protected AuditRepository(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public abstract AuditRow save(AuditRow row);

    /** Whether some entry of tenant {@code tenantId} is about {@code targetId}. */
    @Query("SELECT EXISTS (SELECT 1 FROM audit_log WHERE target_id = :targetId AND tenant_id = :tenantId)")
    public abstract boolean targetOfTenant(String targetId, String tenantId);

    /**
     * Up to {@code limit} entries matching {@code filter}, newest first (by time, then id); {@code after} is the
     * last id of the previous page ('' for the first page).
     */
    @Transactional(readOnly = true)
    public List<AuditRow> page(AuditFilter filter, String after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (filter.actor() != null) {
            sql.append(" AND (actor_id = ? OR lower(actor_name) = lower(?))");
            args.add(filter.actor());
            args.add(filter.actor());
        }
        condition(sql, args, " AND action = ?", filter.action() == null ? null : filter.action().code());
        condition(sql, args, " AND target_type = ?", filter.targetType());
        condition(sql, args, " AND target_id = ?", filter.targetId());
        condition(sql, args, " AND tenant_id = ?", filter.tenantId());
        condition(sql, args, " AND at >= ?", filter.from());
        condition(sql, args, " AND at <= ?", filter.to());
        condition(sql, args, " AND (at, id) < (SELECT c.at, c.id FROM audit_log c WHERE c.id = ?)", after.isEmpty() ? null : after);
        sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.prepareStatement(sql.toString(), statement -> {
            try (PreparedStatement ps = statement) {
                for (int i = 0; i < args.size(); i++) {
                    Object v = args.get(i);
                    ps.setObject(i + 1, v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return jdbc.entityStream(rs, AuditRow.class).toList();
                }
            }
        });
    }

    private static void condition(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            args.add(value);
        }
    }
}
