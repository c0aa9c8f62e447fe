// Why: one alert per window needs a window start that does not move while the window lasts; this pins the
// helper the limit engine uses to compute it, for calendar, sliding and total windows.
package dev.tollgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetAlertTest {

    @ParameterizedTest(name = "{0} at {1} in {2}: {3}")
    @CsvSource({
            "daily,   2026-03-10T15:00:00Z, UTC,           2026-03-10T00:00:00Z",
            "daily,   2026-03-10T15:00:00Z, Europe/Berlin, 2026-03-09T23:00:00Z",
            "weekly,  2026-03-12T15:00:00Z, UTC,           2026-03-09T00:00:00Z",
            "monthly, 2026-03-31T23:30:00Z, Europe/Berlin, 2026-03-31T22:00:00Z",
            "monthly, 2026-03-31T21:30:00Z, Europe/Berlin, 2026-02-28T23:00:00Z",
            "total,   2026-03-10T15:00:00Z, UTC,           1970-01-01T00:00:00Z",
            // sliding windows: consecutive epoch-aligned periods of the window's length, whatever the zone
            "5h,      2026-03-10T15:00:00Z, Europe/Berlin, 2026-03-10T12:00:00Z",
            "5h,      2026-03-10T16:59:59Z, UTC,           2026-03-10T12:00:00Z",
            "5h,      2026-03-10T17:00:00Z, UTC,           2026-03-10T17:00:00Z",
            "24h,     2026-03-10T15:00:00Z, Asia/Tokyo,    2026-03-10T00:00:00Z",
            "7d,      2026-03-10T15:00:00Z, UTC,           2026-03-05T00:00:00Z",
            "30d,     2026-03-10T15:00:00Z, UTC,           2026-03-08T00:00:00Z",
    })
    void windowStartIsStableWithinAWindow(String window, String now, String zone, String start) {
        assertThat(BudgetAlert.windowStart(window, Instant.parse(now), ZoneId.of(zone))).isEqualTo(Instant.parse(start));
    }

    @Test
    void unknownWindowsAreRefused() {
        assertThatThrownBy(() -> BudgetAlert.windowStart("fortnight", Instant.EPOCH, ZoneId.of("UTC")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
