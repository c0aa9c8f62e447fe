// Why: the Date header is formatted once a second and shared; it must still be the exact IMF-fixdate of the
// clock's current second (two-digit day, English names, GMT) and change as soon as the second does.
package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HttpDateTest {
    private final AtomicReference<Instant> now = new AtomicReference<>();
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @ParameterizedTest
    @CsvSource({
            "2026-12-02T09:03:19.000Z, 'Wed, 02 Dec 2026 09:03:19 GMT'",
            "2026-12-02T09:03:19.999Z, 'Wed, 02 Dec 2026 09:03:19 GMT'",
            "1994-11-06T08:49:37Z,     'Sun, 06 Nov 1994 08:49:37 GMT'",
            "2027-01-01T00:00:00Z,     'Fri, 01 Jan 2027 00:00:00 GMT'",
            "1969-12-31T23:59:59.500Z, 'Wed, 31 Dec 1969 23:59:59 GMT'",
    })
    void formatsTheClocksSecondAsImfFixdate(String instant, String expected) {
        now.set(Instant.parse(instant));
        assertThat(new HttpDate(clock).now()).isEqualTo(expected);
    }

    @Test
    void sharesOneTextWithinASecondAndChangesWithTheNext() {
        HttpDate date = new HttpDate(clock);
        now.set(Instant.parse("2026-12-02T09:03:19.001Z"));
        String first = date.now();
        now.set(Instant.parse("2026-12-02T09:03:19.998Z"));
        assertThat(date.now()).isSameAs(first);
        now.set(Instant.parse("2026-12-02T09:03:20.000Z"));
        assertThat(date.now()).isEqualTo("Wed, 02 Dec 2026 09:03:20 GMT");
        now.set(Instant.parse("2026-12-02T09:03:19.500Z")); // a clock stepped back is followed, not ignored
        assertThat(date.now()).isEqualTo("Wed, 02 Dec 2026 09:03:19 GMT");
    }
}
