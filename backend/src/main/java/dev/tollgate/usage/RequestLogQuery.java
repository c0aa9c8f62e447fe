// Why: the request-log listing's filters and cursor, checked before any SQL runs; from/to take a calendar day
// in TOLLGATE_TIMEZONE (the whole day) or an exact ISO 8601 time, both ends inclusive.
package dev.tollgate.usage;

import dev.tollgate.web.FieldError;
import dev.tollgate.web.QueryParams;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Set;

/**
 * Filters of {@code GET /admin/api/requests}; null members are not filtered on.
 *
 * @param statusMin the lowest status shown: one code ({@code 429}) or a class ({@code 4xx}) sets both bounds
 * @param statusMax the highest status shown
 * @param since      the earliest created_at shown (inclusive)
 * @param before     the first created_at not shown (exclusive)
 */
public record RequestLogQuery(String tenant, String key, String model, Integer statusMin, Integer statusMax,
                              Instant since, Instant before) {
    public static final Set<String> PARAMS = Set.of("tenant", "key", "model", "status", "from", "to", "limit", "cursor");

    public static RequestLogQuery parse(QueryParams p, ZoneId zone) {
        Instant since = instant(p, "from", zone, false);
        Instant before = instant(p, "to", zone, true);
        if (since != null && before != null && !since.isBefore(before)) {
            throw new FieldError("to", "must not be before from");
        }
        String model = p.get("model");
        if (model != null && (model.length() > RequestRecord.NAME_CAP || model.chars().anyMatch(Character::isISOControl))) {
            throw new FieldError("model", "is not a model name");
        }
        Integer min = null;
        Integer max = null;
        String status = p.get("status");
        if (status != null) {
            if (status.matches("[1-5]xx")) {
                min = (status.charAt(0) - '0') * 100;
                max = min + 99;
            } else if (status.matches("[1-5][0-9][0-9]")) {
                min = Integer.valueOf(status);
                max = min;
            } else {
                throw new FieldError("status", "must be a status code such as 429 or a class such as 5xx");
            }
        }
        return new RequestLogQuery(p.id("tenant"), p.id("key"), model, min, max, since, before);
    }

    /** This query narrowed to one tenant (or to none). */
    public RequestLogQuery withTenant(String tenantId) {
        return new RequestLogQuery(tenantId, key, model, statusMin, statusMax, since, before);
    }

    /** A day (its start, or for {@code to} the next day's start) or an exact time (for {@code to}, 1 µs later). */
    private static Instant instant(QueryParams p, String name, ZoneId zone, boolean end) {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        if (v.length() == 10) {
            LocalDate day = UsageQuery.date(p, name);
            return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
        }
        try {
            Instant t = OffsetDateTime.parse(v).toInstant().truncatedTo(ChronoUnit.MICROS);
            return end ? t.plus(1, ChronoUnit.MICROS) : t;
        } catch (DateTimeParseException e) {
            throw new FieldError(name, "must be a date as YYYY-MM-DD or a time with offset such as 2026-03-01T12:00:00Z");
        }
    }

    /** The position after the last row of a page: its created_at and request id. */
    public record Cursor(Instant createdAt, String requestId) {
        /** Micro-seconds since the epoch, '_', the request id in hex: opaque, URL-safe and exact. */
        public String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
            return micros + "_" + HexFormat.of().formatHex(requestId.getBytes(StandardCharsets.UTF_8));
        }

        /** The cursor a page handed out, or null for the first page. */
        public static Cursor parse(String cursor) {
            if (cursor == null) {
                return null;
            }
            int sep = cursor.indexOf('_');
            try {
                if (sep < 1 || cursor.length() > 1000) {
                    throw new IllegalArgumentException();
                }
                long micros = Long.parseLong(cursor.substring(0, sep));
                String id = new String(HexFormat.of().parseHex(cursor.substring(sep + 1)), StandardCharsets.UTF_8);
                if (id.isEmpty()) {
                    throw new IllegalArgumentException();
                }
                return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
            } catch (RuntimeException e) {
                throw new FieldError("cursor", "is not a cursor returned by this list");
            }
        }
    }
}
