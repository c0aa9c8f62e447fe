// Why: the admin usage report must stay fast however long the request log grows, so it reads only the daily
// rollups (day × tenant × key × model), which the ledger keeps exact; names are joined in, deleted tenants too.
package dev.tollgate.usage;

import dev.tollgate.access.Principal;
import dev.tollgate.config.Settings;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

@Singleton
public class UsageReport {
    private final DataSource dataSource;
    private final KnownIds ids;
    private final Clock clock;
    private final ZoneId zone;

    public UsageReport(DataSource dataSource, DataSourceResolver resolver, KnownIds ids, Clock clock,
                       Settings settings) {
        this.dataSource = resolver.resolve(dataSource);
        this.ids = ids;
        this.clock = clock;
        this.zone = settings.timezone();
    }

    /** A report's rows, in order, and their totals. */
    public record Result(UsageQuery query, List<UsageRow> rows, UsageSums totals) {
    }

    /** Today in TOLLGATE_TIMEZONE, the default end of a report. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /**
     * Runs the report. A tenant or key id that never existed answers 404 (see {@link KnownIds}); a deleted tenant's
     * usage is still reported. A tenant_admin's report covers its own tenant only.
     */
    public Result run(Principal principal, UsageQuery asked) {
        UsageQuery q = asked.withTenant(ids.scope(principal, asked.tenant(), asked.key()));
        Where where = new Where().and("u.day BETWEEN ? AND ?", q.from(), q.to())
                .andIf(q.tenant(), "u.tenant_id = ?")
                .andIf(q.key(), "u.key_id = ?")
                .andIf(q.model(), "u.model = ?");
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(q.groupBy().sql(where.sql()))) {
            where.bind(s);
            return read(q, s);
        } catch (SQLException e) {
            throw new IllegalStateException("usage report failed: " + e.getMessage(), e);
        }
    }

    private static Result read(UsageQuery q, PreparedStatement s) throws SQLException {
        int labels = q.groupBy().labels().size();
        List<UsageRow> rows = new ArrayList<>();
        UsageSums totals = UsageSums.ZERO;
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String[] label = new String[labels];
                for (int i = 0; i < labels; i++) {
                    label[i] = rs.getString(i + 1);
                }
                UsageSums sums = new UsageSums(rs.getLong(labels + 1), rs.getLong(labels + 2), rs.getLong(labels + 3),
                        rs.getLong(labels + 4), rs.getLong(labels + 5));
                rows.add(new UsageRow(Arrays.asList(label), sums));
                totals = totals.plus(sums);
            }
        }
        return new Result(q, rows, totals);
    }
}
