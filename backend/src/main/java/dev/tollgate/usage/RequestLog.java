// Why: admins trace single calls in the request log; the list pages newest first by (created_at, request_id),
// a keyset that the created_at indexes serve at any depth, so paging stays fast on millions of rows.
package dev.tollgate.usage;

import dev.tollgate.access.Principal;
import dev.tollgate.web.NotFound;
import dev.tollgate.web.Page;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

@Singleton
public class RequestLog {
    private static final String PAGE = "SELECT " + RequestView.COLUMNS + " FROM request_log r WHERE %s "
            + "ORDER BY r.created_at DESC, r.request_id DESC LIMIT ?";
    private static final String ONE = "SELECT " + RequestView.COLUMNS + ", p.body FROM request_log r "
            + "LEFT JOIN prompt_log p ON p.request_id = r.request_id WHERE r.request_id = ?";
    private final DataSource dataSource;
    private final KnownIds ids;

    public RequestLog(DataSource dataSource, DataSourceResolver resolver, KnownIds ids) {
        this.dataSource = resolver.resolve(dataSource);
        this.ids = ids;
    }

    /**
     * A page of rows matching {@code asked}, newest first, after {@code cursor} (null for the first page); a
     * tenant_admin's page holds only its own tenant's rows.
     */
    public Page<RequestView> page(Principal principal, RequestLogQuery asked, int limit, RequestLogQuery.Cursor cursor) {
        RequestLogQuery q = asked.withTenant(ids.scope(principal, asked.tenant(), asked.key()));
        Where where = new Where()
                .andIf(q.tenant(), "r.tenant_id = ?")
                .andIf(q.key(), "r.key_id = ?")
                .andIf(q.model(), "r.model = ?")
                .andIf(q.since(), "r.created_at >= ?")
                .andIf(q.before(), "r.created_at < ?");
        if (q.statusMin() != null) {
            where.and("r.status BETWEEN ? AND ?", q.statusMin(), q.statusMax());
        }
        if (cursor != null) {
            // the row comparison spelt out, so the planner sees a plain created_at bound for the index
            where.and("r.created_at <= ? AND (r.created_at < ? OR r.request_id < ?)",
                    cursor.createdAt(), cursor.createdAt(), cursor.requestId());
        }
        List<RequestView> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(String.format(PAGE, where.sql()))) {
            s.setInt(where.bind(s), limit + 1);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(RequestView.of(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("request log read failed: " + e.getMessage(), e);
        }
        return Page.of(rows, limit, r -> new RequestLogQuery.Cursor(r.createdAt(), r.id()).encode(), r -> r);
    }

    /**
     * One row and its logged prompt; 404 when no such request is in the log (or it expired), or the caller may not
     * see its tenant.
     */
    public RequestDetail find(Principal principal, String requestId) {
        RequestDetail found = read(requestId);
        principal.requireSees(found.request().tenantId(), "request");
        return found;
    }

    private RequestDetail read(String requestId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ONE)) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFound("request");
                }
                return new RequestDetail(RequestView.of(rs), rs.getString(19));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("request log read failed: " + e.getMessage(), e);
        }
    }
}
