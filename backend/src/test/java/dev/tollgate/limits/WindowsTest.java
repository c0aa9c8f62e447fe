// Why: window boundaries decide when quotas reset and which Redis counters are summed; DST days, month and ISO-year
// ends, and bucket alignment are easy to get subtly wrong, so they are pinned here table by table.
package dev.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limits.Windows.Bucket;
import dev.tollgate.limits.Windows.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowsTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final List<WindowKind> SLIDING =
            List.of(WindowKind.H5, WindowKind.H24, WindowKind.D7, WindowKind.D30, WindowKind.MINUTE_SLIDING);
    private static final List<WindowKind> CALENDAR = List.of(WindowKind.DAILY, WindowKind.WEEKLY, WindowKind.MONTHLY);

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    private static void assertCalendar(WindowKind kind, String zone, String now, String id, String start, String end,
            String length) {
        Instant n = at(now);
        Window w = Windows.current(kind, n, ZoneId.of(zone));
        assertThat(w.kind()).isEqualTo(kind);
        assertThat(w.now()).isEqualTo(n);
        assertThat(w.id()).isEqualTo(id);
        assertThat(w.start()).isEqualTo(at(start));
        assertThat(w.end()).isEqualTo(at(end));
        assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.parse(length));
        assertThat(w.buckets()).hasSize(1);
        Bucket b = w.current();
        assertThat(b.id()).isEqualTo(id);
        assertThat(b.start()).isEqualTo(w.start());
        assertThat(b.end()).isEqualTo(w.end());
        assertThat(b.countedUntil()).isEqualTo(w.end());
        assertThat(w.ids()).containsExactly(id);
        assertThat(w.resets()).isTrue();
        // TTL: until the end, rounded up, plus grace; Retry-After: until the end, rounded up, at least 1.
        assertThat(w.ttlSeconds()).isEqualTo(Windows.ttlSeconds(n, w.end()))
                .isGreaterThanOrEqualTo(Duration.between(n, w.end()).getSeconds() + Windows.GRACE_SECONDS);
        assertThat(w.retryAfterSeconds()).isEqualTo(Windows.secondsUntil(n, w.end())).isPositive();
        // The window is [start, end) around now, and its end starts the next window.
        assertThat(w.start()).isBeforeOrEqualTo(n);
        assertThat(w.end()).isAfter(n);
        assertThat(Windows.current(kind, w.end(), ZoneId.of(zone)).start()).isEqualTo(w.end());
        assertThat(Windows.current(kind, w.end().minusNanos(1), ZoneId.of(zone)).id()).isEqualTo(id);
        assertThat(Windows.current(kind, w.start(), ZoneId.of(zone)).id()).isEqualTo(id);
    }

    // ---- DAILY ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "daily {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // zone | now | id | start | end | length
            "UTC|2026-11-23T10:15:30Z|d20261123|2026-11-23T00:00Z|2026-11-24T00:00Z|PT24H",
            "UTC|2026-11-23T00:00Z|d20261123|2026-11-23T00:00Z|2026-11-24T00:00Z|PT24H",
            "UTC|2026-11-23T23:59:59.999999999Z|d20261123|2026-11-23T00:00Z|2026-11-24T00:00Z|PT24H",
            "UTC|2028-02-29T12:00Z|d20280229|2028-02-29T00:00Z|2028-03-01T00:00Z|PT24H",
            // Berlin spring forward (23 h) and fall back (25 h)
            "Europe/Berlin|2026-03-29T12:00+02:00|d20260329|2026-03-29T00:00+01:00|2026-03-30T00:00+02:00|PT23H",
            "Europe/Berlin|2026-03-29T01:59:59.999999999+01:00|d20260329|2026-03-29T00:00+01:00|2026-03-30T00:00+02:00|PT23H",
            "Europe/Berlin|2026-03-29T03:00+02:00|d20260329|2026-03-29T00:00+01:00|2026-03-30T00:00+02:00|PT23H",
            "Europe/Berlin|2026-10-25T12:00+01:00|d20261025|2026-10-25T00:00+02:00|2026-10-26T00:00+01:00|PT25H",
            "Europe/Berlin|2026-10-25T02:30+02:00|d20261025|2026-10-25T00:00+02:00|2026-10-26T00:00+01:00|PT25H",
            "Europe/Berlin|2026-10-25T02:30+01:00|d20261025|2026-10-25T00:00+02:00|2026-10-26T00:00+01:00|PT25H",
            // boundary belongs to the new window; 1 ns before is still the old one
            "Europe/Berlin|2026-03-30T00:00+02:00|d20260330|2026-03-30T00:00+02:00|2026-03-31T00:00+02:00|PT24H",
            "Europe/Berlin|2026-03-29T23:59:59.999999999+02:00|d20260329|2026-03-29T00:00+01:00|2026-03-30T00:00+02:00|PT23H",
            // UTC date differs from the local date
            "Europe/Berlin|2026-05-31T23:30Z|d20260601|2026-06-01T00:00+02:00|2026-06-02T00:00+02:00|PT24H",
            "America/New_York|2026-06-01T02:00Z|d20260531|2026-05-31T00:00-04:00|2026-06-01T00:00-04:00|PT24H",
            // New York DST days
            "America/New_York|2026-03-08T12:00-04:00|d20260308|2026-03-08T00:00-05:00|2026-03-09T00:00-04:00|PT23H",
            "America/New_York|2026-11-01T12:00-05:00|d20261101|2026-11-01T00:00-04:00|2026-11-02T00:00-05:00|PT25H",
            "America/New_York|2026-11-01T01:30-05:00|d20261101|2026-11-01T00:00-04:00|2026-11-02T00:00-05:00|PT25H",
            // DST jump at local midnight: the day starts at the end of the gap (01:00)
            "America/Havana|2020-03-08T12:00-04:00|d20200308|2020-03-08T01:00-04:00|2020-03-09T00:00-04:00|PT23H",
            "America/Havana|2020-03-08T01:00-04:00|d20200308|2020-03-08T01:00-04:00|2020-03-09T00:00-04:00|PT23H",
            "America/Havana|2020-03-07T23:59:59.999999999-05:00|d20200307|2020-03-07T00:00-05:00|2020-03-08T01:00-04:00|PT24H",
            "Asia/Beirut|2020-03-28T23:59:59.999999999+02:00|d20200328|2020-03-28T00:00+02:00|2020-03-29T01:00+03:00|PT24H",
            "Asia/Beirut|2020-03-29T01:00+03:00|d20200329|2020-03-29T01:00+03:00|2020-03-30T00:00+03:00|PT23H",
            "America/Santiago|2022-09-11T10:00-03:00|d20220911|2022-09-11T01:00-03:00|2022-09-12T00:00-03:00|PT23H",
            // ... and back at local midnight: the previous day gets the repeated hour (25 h)
            "America/Santiago|2022-04-02T23:30-04:00|d20220402|2022-04-02T00:00-03:00|2022-04-03T00:00-04:00|PT25H",
            "America/Santiago|2022-04-02T23:30-03:00|d20220402|2022-04-02T00:00-03:00|2022-04-03T00:00-04:00|PT25H",
            "America/Santiago|2022-04-03T00:00-04:00|d20220403|2022-04-03T00:00-04:00|2022-04-04T00:00-04:00|PT24H",
            // Lord Howe: 30-minute DST at 02:00
            "Australia/Lord_Howe|2026-10-04T12:00+11:00|d20261004|2026-10-04T00:00+10:30|2026-10-05T00:00+11:00|PT23H30M",
            "Australia/Lord_Howe|2026-04-05T12:00+10:30|d20260405|2026-04-05T00:00+11:00|2026-04-06T00:00+10:30|PT24H30M",
            // Kathmandu (+05:45), Chatham (+12:45 / +13:45)
            "Asia/Kathmandu|2026-11-22T18:15Z|d20261123|2026-11-23T00:00+05:45|2026-11-24T00:00+05:45|PT24H",
            "Pacific/Chatham|2026-11-22T11:15Z|d20261123|2026-11-23T00:00+13:45|2026-11-24T00:00+13:45|PT24H",
            // Samoa skipped 2011-12-30 entirely: the 29th ends where the 31st starts
            "Pacific/Apia|2011-12-29T12:00-10:00|d20111229|2011-12-29T00:00-10:00|2011-12-31T00:00+14:00|PT24H",
            "Pacific/Apia|2011-12-31T00:00+14:00|d20111231|2011-12-31T00:00+14:00|2012-01-01T00:00+14:00|PT24H",
    })
    void daily(String zone, String now, String id, String start, String end, String length) {
        assertCalendar(WindowKind.DAILY, zone, now, id, start, end, length);
    }

    /** St. John's fell back at 00:01 to 23:01 of the previous day: the repeated hour belongs to that earlier day. */
    @ParameterizedTest(name = "st johns {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1987-10-24T23:59-02:30|d19871024|1987-10-24T00:00-02:30|1987-10-25T00:00-02:30",
            "1987-10-25T00:00-02:30|d19871025|1987-10-25T00:00-02:30|1987-10-26T00:00-03:30",
            "1987-10-25T00:00:59.999999999-02:30|d19871025|1987-10-25T00:00-02:30|1987-10-26T00:00-03:30",
            "1987-10-24T23:01-03:30|d19871024|1987-10-24T00:00-02:30|1987-10-25T00:00-03:30",
            "1987-10-24T23:59:59.999999999-03:30|d19871024|1987-10-24T00:00-02:30|1987-10-25T00:00-03:30",
            "1987-10-25T00:00-03:30|d19871025|1987-10-25T00:00-02:30|1987-10-26T00:00-03:30",
    })
    void dailyWhereLocalTimeGoesBackAcrossMidnight(String now, String id, String start, String end) {
        Window w = Windows.current(WindowKind.DAILY, at(now), ZoneId.of("America/St_Johns"));
        assertThat(w.id()).isEqualTo(id);
        assertThat(w.start()).isEqualTo(at(start));
        assertThat(w.end()).isEqualTo(at(end));
        assertThat(w.start()).isBeforeOrEqualTo(at(now));
        assertThat(w.end()).isAfter(at(now));
    }

    static Stream<Arguments> midnightTransitionZones() {
        return Stream.of("America/Santiago", "America/Havana", "Asia/Beirut", "America/Asuncion",
                "America/Scoresbysund").map(Arguments::of);
    }

    /** Transitions at local midnight from 2019 to 2027 (2026 included), found with the JDK's ZoneRules. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("midnightTransitionZones")
    void dailyAroundEveryTransitionAtMidnight(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        ZoneRules rules = zone.getRules();
        Instant from = at("2019-01-01T00:00Z");
        Instant until = at("2028-01-01T00:00Z");
        int atMidnight = 0;
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(until);
                t = rules.nextTransition(t.getInstant())) {
            Instant instant = t.getInstant();
            if (t.isGap() && t.getDateTimeBefore().toLocalTime().equals(LocalTime.MIDNIGHT)) {
                atMidnight++;
                // Midnight does not exist: the day starts at the transition, the one before ends there.
                LocalDate day = t.getDateTimeBefore().toLocalDate();
                Window w = Windows.current(WindowKind.DAILY, instant, zone);
                assertThat(w.start()).isEqualTo(instant);
                assertThat(w.id()).isEqualTo("d" + day.toString().replace("-", ""));
                Window before = Windows.current(WindowKind.DAILY, instant.minusNanos(1), zone);
                assertThat(before.end()).isEqualTo(instant);
                assertThat(before.id()).isEqualTo("d" + day.minusDays(1).toString().replace("-", ""));
                long expectedHours = 24 - t.getDuration().toHours();
                assertThat(Duration.between(w.start(), w.end()).toHours()).isEqualTo(expectedHours);
            }
            if (t.isOverlap() && t.getDateTimeBefore().toLocalTime().equals(LocalTime.MIDNIGHT)) {
                atMidnight++;
                // Clocks go back from 00:00 to 23:00: the previous day has the repeated hour.
                Window before = Windows.current(WindowKind.DAILY, instant.minusNanos(1), zone);
                Window repeated = Windows.current(WindowKind.DAILY, instant, zone);
                assertThat(repeated.id()).isEqualTo(before.id());
                assertThat(repeated.start()).isEqualTo(before.start());
                assertThat(Duration.between(before.start(), before.end()))
                        .isEqualTo(Duration.ofHours(24).plus(t.getDuration().negated()));
            }
            for (WindowKind kind : CALENDAR) {
                for (Instant now : List.of(instant, instant.minusNanos(1), instant.plusSeconds(1800))) {
                    Window w = Windows.current(kind, now, zone);
                    assertThat(w.start()).isBeforeOrEqualTo(now);
                    assertThat(w.end()).isAfter(now);
                }
            }
        }
        assertThat(atMidnight).as("transitions at local midnight in " + zoneName).isPositive();
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM", Locale.ROOT);

    static Stream<Arguments> allZones() {
        return ZoneId.getAvailableZoneIds().stream().sorted().map(Arguments::of);
    }

    /**
     * Every zone the JDK knows, around every transition from 1900 to 2040 and across 2026: {@code start <= now < end}, the id
     * names the local date, and (unless local time went backwards across midnight) the end starts the next window.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allZones")
    void calendarInvariantsInEveryZone(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        ZoneRules rules = zone.getRules();
        List<Instant> nows = new ArrayList<>();
        for (ZoneOffsetTransition t = rules.nextTransition(at("1900-01-01T00:00Z"));
                t != null && t.getInstant().isBefore(at("2040-01-01T00:00Z"));
                t = rules.nextTransition(t.getInstant())) {
            nows.add(t.getInstant().minusNanos(1));
            nows.add(t.getInstant());
            nows.add(t.getInstant().plusSeconds(1800));
            nows.add(t.getInstant().plusSeconds(3 * 3600));
        }
        for (Instant i = at("2026-01-01T00:00Z"); i.isBefore(at("2027-01-02T00:00Z")); i = i.plusSeconds(127 * 3600)) {
            nows.add(i);
        }
        List<String> failures = new ArrayList<>();
        for (Instant now : nows) {
            LocalDate local = LocalDate.ofInstant(now, zone);
            for (WindowKind kind : CALENDAR) {
                Window w = Windows.current(kind, now, zone);
                String expectedId = switch (kind) {
                    case DAILY -> "d" + DAY.format(local);
                    case WEEKLY -> "w" + DateTimeFormatter.ISO_WEEK_DATE.format(local) // 2026-W53-4
                            .substring(0, 8).replace("-", "");
                    default -> "m" + MONTH.format(local);
                };
                // The next window starts no later than this one ends, exactly at its end unless local time went
                // back across midnight (then this window runs to the second occurrence of midnight).
                Window next = Windows.current(kind, w.end(), zone);
                boolean endIsUnambiguous = rules.getValidOffsets(w.end().atZone(zone).toLocalDateTime()).size() == 1;
                if (w.start().isAfter(now) || !w.end().isAfter(now) || !w.id().equals(expectedId)
                        || w.retryAfterSeconds() < 1 || w.ttlSeconds() <= Windows.GRACE_SECONDS
                        || next.id().equals(w.id()) || next.start().isAfter(w.end())
                        || (endIsUnambiguous && !next.start().equals(w.end()))) {
                    failures.add(kind + " at " + now + ": " + w + ", next " + next.start() + " " + next.id());
                }
            }
        }
        assertThat(nows).isNotEmpty();
        assertThat(failures).isEmpty();
    }

    // ---- WEEKLY --------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "weekly {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "UTC|2026-11-23T00:00Z|w2026W48|2026-11-23T00:00Z|2026-11-30T00:00Z|P7D",
            "UTC|2026-11-26T15:00Z|w2026W48|2026-11-23T00:00Z|2026-11-30T00:00Z|P7D",
            "UTC|2026-11-29T23:59:59.999999999Z|w2026W48|2026-11-23T00:00Z|2026-11-30T00:00Z|P7D",
            "UTC|2026-11-30T00:00Z|w2026W49|2026-11-30T00:00Z|2026-12-07T00:00Z|P7D",
            // week 53 spans the year boundary
            "UTC|2026-12-31T12:00Z|w2026W53|2026-12-28T00:00Z|2027-01-04T00:00Z|P7D",
            "UTC|2027-01-03T23:59:59.999999999Z|w2026W53|2026-12-28T00:00Z|2027-01-04T00:00Z|P7D",
            "UTC|2027-01-04T00:00Z|w2027W01|2027-01-04T00:00Z|2027-01-11T00:00Z|P7D",
            "UTC|2021-01-03T12:00Z|w2020W53|2020-12-28T00:00Z|2021-01-04T00:00Z|P7D",
            // week 1 may start in December
            "UTC|2025-12-29T00:00Z|w2026W01|2025-12-29T00:00Z|2026-01-05T00:00Z|P7D",
            "UTC|2026-01-01T08:00Z|w2026W01|2025-12-29T00:00Z|2026-01-05T00:00Z|P7D",
            "UTC|2025-12-28T23:59:59Z|w2025W52|2025-12-22T00:00Z|2025-12-29T00:00Z|P7D",
            // in the zone: Monday 00:00 local, DST weeks are 167 / 169 hours
            "Europe/Berlin|2026-03-29T23:30Z|w2026W14|2026-03-30T00:00+02:00|2026-04-06T00:00+02:00|P7D",
            "Europe/Berlin|2026-03-29T21:59:59.999999999Z|w2026W13|2026-03-23T00:00+01:00|2026-03-30T00:00+02:00|PT167H",
            "Europe/Berlin|2026-10-25T12:00Z|w2026W43|2026-10-19T00:00+02:00|2026-10-26T00:00+01:00|PT169H",
            "Pacific/Auckland|2026-11-22T11:00Z|w2026W48|2026-11-23T00:00+13:00|2026-11-30T00:00+13:00|P7D",
            "America/Los_Angeles|2026-11-23T07:59:59Z|w2026W47|2026-11-16T00:00-08:00|2026-11-23T00:00-08:00|P7D",
    })
    void weekly(String zone, String now, String id, String start, String end, String length) {
        assertCalendar(WindowKind.WEEKLY, zone, now, id, start, end, length);
    }

    // ---- MONTHLY -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "monthly {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "UTC|2026-01-31T12:00Z|m202601|2026-01-01T00:00Z|2026-02-01T00:00Z|P31D",
            "UTC|2026-02-01T00:00Z|m202602|2026-02-01T00:00Z|2026-03-01T00:00Z|P28D",
            "UTC|2026-02-28T23:59:59.999999999Z|m202602|2026-02-01T00:00Z|2026-03-01T00:00Z|P28D",
            "UTC|2028-02-29T23:59:59Z|m202802|2028-02-01T00:00Z|2028-03-01T00:00Z|P29D",
            "UTC|2100-02-15T00:00Z|m210002|2100-02-01T00:00Z|2100-03-01T00:00Z|P28D",
            "UTC|2026-04-30T10:00Z|m202604|2026-04-01T00:00Z|2026-05-01T00:00Z|P30D",
            "UTC|2026-12-31T23:59:59Z|m202612|2026-12-01T00:00Z|2027-01-01T00:00Z|P31D",
            "UTC|2027-01-01T00:00Z|m202701|2027-01-01T00:00Z|2027-02-01T00:00Z|P31D",
            // local month differs from the UTC month
            "Europe/Berlin|2026-05-31T23:30Z|m202606|2026-06-01T00:00+02:00|2026-07-01T00:00+02:00|P30D",
            "Europe/Berlin|2026-05-31T21:59:59.999999999Z|m202605|2026-05-01T00:00+02:00|2026-06-01T00:00+02:00|P31D",
            "Europe/Berlin|2026-06-01T00:00+02:00|m202606|2026-06-01T00:00+02:00|2026-07-01T00:00+02:00|P30D",
            "Europe/Berlin|2026-12-31T23:59:59+01:00|m202612|2026-12-01T00:00+01:00|2027-01-01T00:00+01:00|P31D",
            "Europe/Berlin|2026-12-31T23:30Z|m202701|2027-01-01T00:00+01:00|2027-02-01T00:00+01:00|P31D",
            "Europe/Berlin|2026-03-15T12:00Z|m202603|2026-03-01T00:00+01:00|2026-04-01T00:00+02:00|PT743H",
            "Europe/Berlin|2026-10-15T12:00Z|m202610|2026-10-01T00:00+02:00|2026-11-01T00:00+01:00|PT745H",
            "Pacific/Auckland|2026-06-30T12:30Z|m202607|2026-07-01T00:00+12:00|2026-08-01T00:00+12:00|P31D",
            "Pacific/Auckland|2026-06-30T11:59:59Z|m202606|2026-06-01T00:00+12:00|2026-07-01T00:00+12:00|P30D",
            "Pacific/Auckland|2026-12-31T11:00Z|m202701|2027-01-01T00:00+13:00|2027-02-01T00:00+13:00|P31D",
            "Pacific/Auckland|2026-04-10T00:00Z|m202604|2026-04-01T00:00+13:00|2026-05-01T00:00+12:00|PT721H",
            "America/New_York|2026-12-01T03:00Z|m202611|2026-11-01T00:00-04:00|2026-12-01T00:00-05:00|PT721H",
            "America/Santiago|2026-09-30T12:00Z|m202609|2026-09-01T00:00-04:00|2026-10-01T00:00-03:00|PT719H",
    })
    void monthly(String zone, String now, String id, String start, String end, String length) {
        assertCalendar(WindowKind.MONTHLY, zone, now, id, start, end, length);
    }

    // ---- TOTAL ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "total {0}")
    @ValueSource(strings = {"UTC", "Europe/Berlin", "Pacific/Chatham"})
    void total(String zone) {
        Instant now = at("2026-11-23T10:15:30.5Z");
        Window w = Windows.current(WindowKind.TOTAL, now, ZoneId.of(zone));
        assertThat(w.id()).isEqualTo("total");
        assertThat(w.ids()).containsExactly("total");
        assertThat(w.start()).isEqualTo(Instant.EPOCH);
        assertThat(w.end()).isNull();
        assertThat(w.resets()).isFalse();
        assertThat(w.current().countedUntil()).isNull();
        assertThat(w.ttlSeconds()).isEqualTo(Windows.TOTAL_TTL_SECONDS).isEqualTo(Duration.ofDays(400).toSeconds());
        assertThat(w.retryAfterSeconds()).isEqualTo(Windows.TOTAL_RETRY_AFTER_SECONDS);
        assertThat(w.fitsAt(new long[] {5}, 10, 5)).contains(now);
        assertThat(w.fitsAt(new long[] {5}, 10, 6)).isEmpty();
    }

    // ---- SLIDING -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1} s x {2}")
    @CsvSource(delimiter = '|', value = {
            "H5|300|60|18000",
            "H24|900|96|86400",
            "D7|7200|84|604800",
            "D30|21600|120|2592000",
            "MINUTE_SLIDING|1|60|60",
    })
    void granularity(WindowKind kind, long bucketSeconds, int count, long lengthSeconds) {
        assertThat(kind.isSliding()).isTrue();
        assertThat(kind.bucketSeconds()).isEqualTo(bucketSeconds);
        assertThat(kind.bucketCount()).isEqualTo(count);
        assertThat(kind.lengthSeconds()).isEqualTo(lengthSeconds);
        Window w = Windows.current(kind, at("2026-11-23T10:17:30.25Z"), UTC);
        assertThat(w.buckets()).hasSize(count + 1).hasSizeLessThanOrEqualTo(121);
    }

    static Stream<Arguments> slidingCases() {
        List<String> nows = List.of("2026-11-23T10:17:30.25Z", "2026-11-23T10:15:00Z", "2026-11-23T10:14:59.999999999Z",
                "2026-03-29T01:00Z", "2026-10-25T00:59:59.5Z", "2028-02-29T23:59:59.999999999Z", "1970-01-01T00:00Z",
                "1969-12-31T23:59:59.5Z", "2026-12-31T23:59:59.999999999Z");
        List<Arguments> cases = new ArrayList<>();
        for (WindowKind kind : SLIDING) {
            for (String now : nows) {
                cases.add(Arguments.of(kind, now));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("slidingCases")
    void slidingBucketsCoverExactlyTheLastLength(WindowKind kind, String nowText) {
        Instant now = at(nowText);
        long g = kind.bucketSeconds();
        Duration length = Duration.ofSeconds(kind.lengthSeconds());
        Window w = Windows.current(kind, now, UTC);
        List<Bucket> buckets = w.buckets();

        // n + 1 contiguous, epoch-aligned buckets of g seconds, oldest first
        assertThat(buckets).hasSize(kind.bucketCount() + 1);
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            assertThat(Math.floorMod(b.start().getEpochSecond(), g)).isZero();
            assertThat(b.start().getNano()).isZero();
            assertThat(Duration.between(b.start(), b.end())).isEqualTo(Duration.ofSeconds(g));
            assertThat(b.id()).isEqualTo(kind.idPrefix() + ":" + b.start().getEpochSecond());
            assertThat(b.countedUntil()).isEqualTo(b.end().plus(length));
            if (i > 0) {
                assertThat(b.start()).isEqualTo(buckets.get(i - 1).end());
            }
            // TTL: positive and at least until the bucket drops out of the window (plus grace)
            assertThat(b.countedUntil()).isAfter(now);
            assertThat(b.ttlSeconds()).isPositive()
                    .isGreaterThanOrEqualTo(Windows.secondsUntil(now, b.countedUntil()) + Windows.GRACE_SECONDS)
                    .isEqualTo(Windows.ttlSeconds(now, b.countedUntil()));
        }
        assertThat(w.ids()).doesNotHaveDuplicates();

        // the oldest bucket contains now - L, the newest (current) contains now: the union covers [now - L, now]
        Bucket oldest = buckets.get(0);
        Bucket current = w.current();
        assertThat(oldest.start()).isBeforeOrEqualTo(now.minus(length));
        assertThat(w.start()).isEqualTo(oldest.start()); // the Redis store passes it as the oldest bucket's field
        assertThat(oldest.end()).isAfter(now.minus(length));
        assertThat(current.start()).isBeforeOrEqualTo(now);
        assertThat(current.end()).isAfter(now);
        assertThat(current).isSameAs(buckets.get(buckets.size() - 1));
        assertThat(w.id()).isEqualTo(current.id());
        assertThat(w.ttlSeconds()).isEqualTo(current.ttlSeconds())
                .isGreaterThanOrEqualTo(kind.lengthSeconds() + Windows.GRACE_SECONDS);
        assertThat(w.start()).isEqualTo(oldest.start());
        assertThat(w.end()).isEqualTo(current.end());
        assertThat(w.resets()).isTrue();

        // the oldest bucket drops out exactly when the current bucket ends
        assertThat(oldest.countedUntil()).isEqualTo(current.end());
        assertThat(w.retryAfterSeconds()).isEqualTo(Windows.secondsUntil(now, current.end())).isBetween(1L, g);

        // usage added now is counted for at least L and less than L + g
        Instant stillCounted = now.plus(length);
        assertThat(Windows.current(kind, stillCounted, UTC).ids()).contains(current.id());
        assertThat(Windows.current(kind, current.countedUntil().minusNanos(1), UTC).ids()).contains(current.id());
        assertThat(Windows.current(kind, current.countedUntil(), UTC).ids()).doesNotContain(current.id());
        assertThat(Duration.between(now, current.countedUntil()))
                .isGreaterThan(length).isLessThanOrEqualTo(length.plusSeconds(g));

        // the same ids in every zone
        for (String zone : List.of("Europe/Berlin", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe",
                "America/Santiago")) {
            assertThat(Windows.current(kind, now, ZoneId.of(zone))).isEqualTo(w);
        }
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // kind | now | current id | oldest id
            "H5|2026-11-23T10:17:30Z|h5:1795428900|h5:1795410900",
            "H5|2026-11-23T10:15:00Z|h5:1795428900|h5:1795410900",
            "H5|2026-11-23T10:14:59.999999999Z|h5:1795428600|h5:1795410600",
            "H24|2026-11-23T10:17:30Z|h24:1795428900|h24:1795342500",
            "D7|2026-11-23T10:17:30Z|d7:1795428000|d7:1794823200",
            "D30|2026-11-23T10:17:30Z|d30:1795413600|d30:1792821600",
            "MINUTE_SLIDING|2026-11-23T10:15:00.75Z|s60:1795428900|s60:1795428840",
            "MINUTE_SLIDING|1969-12-31T23:59:59.5Z|s60:-1|s60:-61",
    })
    void slidingIds(WindowKind kind, String now, String currentId, String oldestId) {
        Window w = Windows.current(kind, at(now), UTC);
        assertThat(w.id()).isEqualTo(currentId);
        assertThat(w.ids().get(0)).isEqualTo(oldestId);
        assertThat(w.ids()).last().isEqualTo(currentId);
    }

    @Test
    void slidingBucketsShiftByOneAtEachBoundary() {
        Instant now = at("2026-11-23T10:17:30Z");
        for (WindowKind kind : SLIDING) {
            Window w = Windows.current(kind, now, UTC);
            Window next = Windows.current(kind, w.end(), UTC);
            assertThat(next.ids().subList(0, next.ids().size() - 1)).isEqualTo(w.ids().subList(1, w.ids().size()));
            assertThat(next.id()).isNotEqualTo(w.id());
            assertThat(Windows.current(kind, w.end().minusNanos(1), UTC).ids()).isEqualTo(w.ids());
        }
    }

    // ---- fitsAt / Retry-After ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "minute sliding: limit {0}, +{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // counts: 5 in the oldest bucket, 3 ten buckets later, 2 in the current bucket (sum 10)
            // limit | amount | fits after (seconds from the aligned second), empty = never, 'now' = now
            "11|1|now",
            "10|0|now",
            "10|1|1",
            "10|5|1",
            "10|6|11",
            "10|8|11",
            "10|9|61",
            "10|10|61",
            "10|11|",
            "0|0|61",
    })
    void slidingFitsAt(long limit, long amount, String fitsAfter) {
        Instant aligned = at("2026-11-23T10:15:00Z");
        Instant now = aligned.plusMillis(400);
        Window w = Windows.current(WindowKind.MINUTE_SLIDING, now, UTC);
        long[] counts = new long[61];
        counts[0] = 5;
        counts[10] = 3;
        counts[60] = 2;
        if (limit == 0) {
            counts = new long[61];
            counts[60] = 1;
        }
        Optional<Instant> fits = w.fitsAt(counts, limit, amount);
        if (fitsAfter == null) {
            assertThat(fits).isEmpty();
        } else if (fitsAfter.equals("now")) {
            assertThat(fits).contains(now);
        } else {
            assertThat(fits).contains(aligned.plusSeconds(Long.parseLong(fitsAfter)));
            // and at that instant the window really has room: the dropped buckets are no longer summed
            Window later = Windows.current(WindowKind.MINUTE_SLIDING, fits.orElseThrow(), UTC);
            long stillCounted = 0;
            for (int i = 0; i < counts.length; i++) {
                if (later.ids().contains(w.ids().get(i))) {
                    stillCounted += counts[i];
                }
            }
            assertThat(stillCounted + amount).isLessThanOrEqualTo(limit);
            Window justBefore = Windows.current(WindowKind.MINUTE_SLIDING, fits.orElseThrow().minusNanos(1), UTC);
            long countedBefore = 0;
            for (int i = 0; i < counts.length; i++) {
                if (justBefore.ids().contains(w.ids().get(i))) {
                    countedBefore += counts[i];
                }
            }
            assertThat(countedBefore + amount).isGreaterThan(limit);
        }
    }

    @ParameterizedTest(name = "daily: used {0} of {1}, +{2}")
    @CsvSource(delimiter = '|', value = {
            "0|10|10|now",
            "9|10|1|now",
            "10|10|1|end",
            "10|10|0|now",
            "0|10|11|never",
    })
    void calendarFitsAt(long used, long limit, long amount, String expected) {
        Instant now = at("2026-11-23T10:15:30Z");
        Window w = Windows.current(WindowKind.DAILY, now, ZoneId.of("Europe/Berlin"));
        Optional<Instant> fits = w.fitsAt(new long[] {used}, limit, amount);
        switch (expected) {
            case "now" -> assertThat(fits).contains(now);
            case "end" -> assertThat(fits).contains(at("2026-11-24T00:00+01:00"));
            default -> assertThat(fits).isEmpty();
        }
    }

    @Test
    void fitsAtNeedsOneCountPerBucket() {
        Window w = Windows.current(WindowKind.H5, at("2026-11-23T10:15:30Z"), UTC);
        assertThatThrownBy(() -> w.fitsAt(new long[60], 10, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} before the end -> Retry-After {1} s, TTL {2} s")
    @CsvSource(delimiter = '|', value = {
            // remaining | Retry-After | TTL (grace 60 s)
            "PT0S|1|60",
            "PT-5S|1|55",
            "PT0.000000001S|1|61",
            "PT0.5S|1|61",
            "PT0.999999999S|1|61",
            "PT1S|1|61",
            "PT1.000000001S|2|62",
            "PT59.5S|60|120",
            "PT60S|60|120",
            "PT23H|82800|82860",
            "PT24H|86400|86460",
            "PT24H59M59.1S|90000|90060",
    })
    void retryAfterRoundsUpToAtLeastOneSecond(String remaining, long seconds, long ttl) {
        Instant end = at("2026-11-24T00:00Z");
        Duration left = Duration.parse(remaining);
        Instant now = end.minus(left);
        assertThat(Windows.GRACE_SECONDS).isEqualTo(60);
        assertThat(Windows.secondsUntil(now, end)).isEqualTo(seconds);
        assertThat(Windows.ttlSeconds(now, end)).isEqualTo(ttl);
        if (!left.isNegative() && !left.isZero() && left.compareTo(Duration.ofHours(24)) <= 0) {
            Window w = Windows.current(WindowKind.DAILY, now, UTC);
            assertThat(w.end()).isEqualTo(end);
            assertThat(w.retryAfterSeconds()).isEqualTo(seconds);
        }
    }

    @Test
    void ttlIsAtLeastOneSecond() {
        Instant now = at("2026-11-24T00:00Z");
        assertThat(Windows.ttlSeconds(now, now.minusSeconds(3600))).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Europe/Berlin|2026-03-29T00:00+01:00|82800",
            "Europe/Berlin|2026-10-25T00:00+02:00|90000",
            "America/Havana|2020-03-08T01:00-04:00|82800",
            "UTC|2026-11-23T23:59:59.5Z|1",
            "UTC|2026-11-23T23:59:58.2Z|2",
    })
    void retryAfterOfDailyWindows(String zone, String now, long seconds) {
        assertThat(Windows.current(WindowKind.DAILY, at(now), ZoneId.of(zone)).retryAfterSeconds()).isEqualTo(seconds);
    }

    // ---- WindowKind ----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "daily|DAILY", "weekly|WEEKLY", "monthly|MONTHLY", "5h|H5", "24h|H24", "7d|D7", "30d|D30", "total|TOTAL",
    })
    void parsesContractWindows(String text, WindowKind kind) {
        assertThat(WindowKind.parse(text)).isEqualTo(kind);
        assertThat(kind.contractName()).isEqualTo(text);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"Daily", "DAILY", " daily", "1h", "5H", "60s", "minute", "MINUTE_SLIDING", "H5", "year"})
    void rejectsOtherWindows(String text) {
        assertThatThrownBy(() -> WindowKind.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "rpm|MINUTE_SLIDING", "tpm|MINUTE_SLIDING", "daily_requests|DAILY", "daily_tokens|DAILY",
            "monthly_requests|MONTHLY", "monthly_tokens|MONTHLY",
    })
    void mapsCountLimitsToKinds(String limit, WindowKind kind) {
        assertThat(WindowKind.forLimit(limit)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"concurrency", "budget", "RPM", "weekly_tokens"})
    void rejectsOtherLimits(String limit) {
        assertThatThrownBy(() -> WindowKind.forLimit(limit)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsNeverCollideAcrossKinds() {
        Instant now = at("2026-11-23T10:15:30Z");
        List<String> ids = new ArrayList<>();
        for (WindowKind kind : WindowKind.values()) {
            ids.addAll(Windows.current(kind, now, UTC).ids());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(Stream.of(WindowKind.values()).map(WindowKind::idPrefix)).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WindowKind.class)
    void requiresItsArguments(WindowKind kind) {
        Instant now = at("2026-11-23T10:15:30Z");
        assertThatThrownBy(() -> Windows.current(kind, null, UTC)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Windows.current(kind, now, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Windows.current(null, now, UTC)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void wholeSecondsRoundUpExactlyAsDurationArithmeticDoes() {
        // the allocation-free rounding against the Duration-based definition, nanoseconds on both sides
        java.util.Random random = new java.util.Random(20261201);
        for (int i = 0; i < 100_000; i++) {
            Instant now = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100), random.nextInt(1_000_000_000));
            Instant then = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100), random.nextInt(1_000_000_000));
            Duration d = Duration.between(now, then);
            long up = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
            assertThat(Windows.secondsUntil(now, then)).as("%s -> %s", now, then).isEqualTo(Math.max(1, up));
            assertThat(Windows.ttlSeconds(now, then)).as("%s -> %s", now, then)
                    .isEqualTo(Math.max(1, up + Windows.GRACE_SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(value = WindowKind.class, names = {"H5", "H24", "D7", "D30", "MINUTE_SLIDING"})
    void slidingBucketsAreAnImmutableListEqualToTheirCopy(WindowKind kind) {
        Window w = Windows.current(kind, at("2026-11-23T10:15:30.25Z"), UTC);
        List<Bucket> copy = List.copyOf(w.buckets());
        assertThat(w.buckets()).isEqualTo(copy).hasSameHashCodeAs(copy).hasSize(kind.bucketCount() + 1);
        assertThat(w).isEqualTo(Windows.current(kind, at("2026-11-23T10:15:30.25Z"), UTC));
        assertThatThrownBy(() -> w.buckets().add(copy.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> w.buckets().get(copy.size())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> w.buckets().get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
