// Why: all SQL about alert events; the insert is where replicas agree that a window has exactly one event.
package dev.tollgate.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AlertRepository extends GenericRepository<AlertRow, String> {

    /** Records an event unless its window already has one; answers 1 for the one insert that wins, else 0. */
    @Query("INSERT INTO alert_events (id, tenant_id, key_id, budget_window, window_start, limit_micros, used_micros, "
            + "alert_at, created_at, webhook_status, webhook_attempts) "
            + "VALUES (:id, :tenantId, :keyId, :window, :windowStart, :limitMicros, :usedMicros, :alertAt, :createdAt, "
            + ":webhookStatus, 0) ON CONFLICT DO NOTHING")
    long insertOnce(String id, String tenantId, @Nullable String keyId, String window, Instant windowStart,
                    long limitMicros, long usedMicros, BigDecimal alertAt, Instant createdAt, String webhookStatus);

    @Query("UPDATE alert_events SET webhook_status = :status, webhook_attempts = :attempts, "
            + "webhook_last_error = :lastError WHERE id = :id")
    long delivery(String id, String status, int attempts, @Nullable String lastError);

    Optional<AlertRow> findById(String id);

    /** Newest first; {@code before} is the last id of the previous page ('' for the first page). */
    @Query("SELECT * FROM alert_events WHERE (:before = '' OR id < :before) ORDER BY id DESC LIMIT :limit")
    List<AlertRow> page(String before, int limit);

    @Query("SELECT * FROM alert_events WHERE tenant_id = :tenantId AND (:before = '' OR id < :before) "
            + "ORDER BY id DESC LIMIT :limit")
    List<AlertRow> pageForTenant(String tenantId, String before, int limit);
}
