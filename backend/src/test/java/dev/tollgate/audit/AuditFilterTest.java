// Why: the audit list's parameters are parsed in one place; dates, offsets and every refusal are pinned here
// without a gateway.
package dev.tollgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.web.FieldError;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class AuditFilterTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static AuditFilter parse(String actor, String action, String type, String target, String tenant,
                                     String from, String to) {
        return AuditFilter.parse(actor, action, type, target, tenant, from, to, BERLIN);
    }

    private static void refused(String field, String actor, String action, String type, String target, String tenant,
                                String from, String to) {
        assertThatThrownBy(() -> parse(actor, action, type, target, tenant, from, to))
                .isInstanceOfSatisfying(FieldError.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void absentAndEmptyParametersMatchEverything() {
        assertThat(parse(null, null, null, null, null, null, null)).isEqualTo(AuditFilter.ALL);
        assertThat(parse("", "", "", "", "", "", "")).isEqualTo(AuditFilter.ALL);
    }

    @Test
    void textFiltersAreKeptAndActionsAndTypesAreKnownOnes() {
        AuditFilter f = parse("admin", "key.revoke", "key", "key_1", "ten_1", null, null);
        assertThat(f).isEqualTo(new AuditFilter("admin", AuditAction.KEY_REVOKE, "key", "key_1", "ten_1", null, null));
        assertThat(AuditAction.codes()).containsExactly("tenant.create", "tenant.update", "tenant.delete", "key.create",
                "key.update", "key.revoke", "key.rotate", "pricing.update", "user.create", "user.update", "user.delete", "upstream.create", "upstream.update",
                "upstream.delete");
        assertThat(AuditAction.targetTypes()).containsExactly("tenant", "key", "pricing", "user", "upstream");
        refused("action", null, "key.delete", null, null, null, null, null);
        refused("action", null, "KEY.CREATE", null, null, null, null, null);
        refused("target_type", null, null, "session", null, null, null, null);
        refused("actor", "a\u0001b", null, null, null, null, null, null);
        refused("target_id", null, null, null, "k".repeat(201), null, null, null);
        refused("tenant", null, null, null, null, "t".repeat(201), null, null);
        assertThat(parse(null, null, null, null, "t".repeat(200), null, null).tenantId()).hasSize(200);
    }

    @Test
    void datesAreWholeDaysInTheConfiguredZone() {
        AuditFilter f = parse(null, null, null, null, null, "2026-03-01", "2026-03-01");
        assertThat(f.from()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(f.to()).isEqualTo(Instant.parse("2026-03-01T22:59:59.999999Z"));
        AuditFilter summer = parse(null, null, null, null, null, "2026-07-01", "2026-07-31");
        assertThat(summer.from()).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
        assertThat(summer.to()).isEqualTo(Instant.parse("2026-07-31T21:59:59.999999Z"));
    }

    @Test
    void timesNeedAnOffsetAndAnUnencodedPlusIsAccepted() {
        Instant ten = Instant.parse("2026-03-01T10:00:00Z");
        assertThat(parse(null, null, null, null, null, "2026-03-01T12:00:00+02:00", null).from()).isEqualTo(ten);
        assertThat(parse(null, null, null, null, null, "2026-03-01T12:00:00 02:00", null).from()).isEqualTo(ten);
        assertThat(parse(null, null, null, null, null, null, "2026-03-01T10:00:00.123456Z").to())
                .isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
        assertThat(parse(null, null, null, null, null, "2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z").to()).isEqualTo(ten);
        refused("from", null, null, null, null, null, "2026-03-01T12:00:00", null);
        refused("from", null, null, null, null, null, "yesterday", null);
        refused("to", null, null, null, null, null, null, "2026-13-01");
        refused("to", null, null, null, null, null, null, "2026-3-1");
        refused("from", null, null, null, null, null, "+10000-01-01T00:00:00Z", null);
        refused("to", null, null, null, null, null, null, "-0100-01-01T00:00:00Z");
        refused("to", null, null, null, null, null, "2026-03-02", "2026-03-01");
        refused("to", null, null, null, null, null, "2026-03-01T10:00:00Z", "2026-03-01T09:59:59Z");
    }
}
