// Why: the usage report's parameters, checked before any SQL runs: dates are calendar days in TOLLGATE_TIMEZONE
// (both ends inclusive, by default this month so far), the range is bounded so one call cannot scan years of
// rollups, and every mistake is a 400 naming the parameter.
package dev.tollgate.usage;

import dev.tollgate.web.FieldError;
import dev.tollgate.web.QueryParams;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/** A validated report request; {@code tenant}, {@code key} and {@code model} are null when not filtered on. */
public record UsageQuery(LocalDate from, LocalDate to, String tenant, String key, String model, GroupBy groupBy) {
    /** The longest range one report covers, in days (a leap year). */
    public static final int MAX_DAYS = 366;
    public static final Set<String> PARAMS = Set.of("from", "to", "tenant", "key", "model", "group_by", "format");

    /** Reads the parameters; {@code today} is the current date in TOLLGATE_TIMEZONE. */
    public static UsageQuery parse(QueryParams p, LocalDate today) {
        LocalDate from = date(p, "from");
        LocalDate to = date(p, "to");
        // the parameter the caller gave is the one to blame; when both were given, "to"
        String blame = to != null || from == null ? "to" : "from";
        from = from == null ? today.withDayOfMonth(1) : from;
        to = to == null ? today : to;
        if (from.isAfter(to)) {
            throw new FieldError(blame, "must not make the range end before it starts (from " + from + ", to " + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new FieldError(blame, "must make a range of at most " + MAX_DAYS + " days (from " + from + ", to " + to + ")");
        }
        String model = p.get("model");
        if (model != null && (model.length() > RequestRecord.NAME_CAP || model.chars().anyMatch(Character::isISOControl))) {
            throw new FieldError("model", "is not a model name");
        }
        return new UsageQuery(from, to, p.id("tenant"), p.id("key"), model, GroupBy.parse(p.get("group_by")));
    }

    /** This query narrowed to one tenant (or to none). */
    public UsageQuery withTenant(String tenantId) {
        return new UsageQuery(from, to, tenantId, key, model, groupBy);
    }

    /** A {@code YYYY-MM-DD} parameter, or null when absent. */
    public static LocalDate date(QueryParams p, String name) {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        if (!v.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}") || v.startsWith("0000")) {
            throw new FieldError(name, "must be a date as YYYY-MM-DD (got '" + v + "')");
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new FieldError(name, "is not a calendar date (got '" + v + "')");
        }
    }
}
