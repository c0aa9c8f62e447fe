// Why: the audit list's query parameters are untrusted; each is checked here so a bad value is a 400 naming
// its parameter, and the repository receives only typed, bounded values.
package dev.tollgate.audit;

import dev.tollgate.web.FieldError;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * What {@code GET /admin/api/audit} narrows to; every {@code null} member matches everything. {@code from} and
 * {@code to} are both inclusive.
 */
public record AuditFilter(
        @Nullable String actor,
        @Nullable AuditAction action,
        @Nullable String targetType,
        @Nullable String targetId,
        @Nullable String tenantId,
        @Nullable Instant from,
        @Nullable Instant to) {
    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null, null);
    private static final int MAX_TEXT = 200;
    private static final String TIME_RULE = "must be an ISO 8601 time with offset (2026-03-01T12:00:00Z) or a date "
            + "(2026-03-01), in the years 0000-9999";

    /**
     * Checks the raw parameters; an empty one is absent. Dates are days in {@code zone}: {@code from} a date
     * starts at its first instant, {@code to} a date ends with its last.
     */
    public static AuditFilter parse(String actor, String action, String targetType, String targetId, String tenant,
                                    String from, String to, ZoneId zone) {
        String actionCode = text("action", action);
        AuditAction a = actionCode == null ? null : AuditAction.of(actionCode).orElseThrow(
                () -> new FieldError("action", "must be one of " + String.join(", ", AuditAction.codes())));
        String type = text("target_type", targetType);
        if (type != null && !AuditAction.targetTypes().contains(type)) {
            throw new FieldError("target_type", "must be one of " + String.join(", ", AuditAction.targetTypes()));
        }
        Instant start = time("from", from, zone, false);
        Instant end = time("to", to, zone, true);
        if (start != null && end != null && end.isBefore(start)) {
            throw new FieldError("to", "must not be before from");
        }
        return new AuditFilter(text("actor", actor), a, type, text("target_id", targetId), text("tenant", tenant), start, end);
    }

    /** This filter narrowed to one tenant's entries. */
    public AuditFilter withTenant(String tenant) {
        return new AuditFilter(actor, action, targetType, targetId, tenant, from, to);
    }

    private static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw new FieldError(name, "must be 1-" + MAX_TEXT + " characters without control characters");
        }
        return value;
    }

    private static Instant time(String name, String value, ZoneId zone, boolean endOfDay) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        // a '+' of an offset left unencoded in a query string arrives as a space; a valid value never has one
        String v = value.replace(' ', '+');
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return endOfDay ? day.plusDays(1).atStartOfDay(zone).toInstant().minus(1, ChronoUnit.MICROS)
                        : day.atStartOfDay(zone).toInstant();
            }
            OffsetDateTime at = OffsetDateTime.parse(v);
            if (at.getYear() >= 0 && at.getYear() <= 9999) {
                return at.toInstant();
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw new FieldError(name, TIME_RULE);
    }
}
