// Why: the Redis and the in-process login throttle must count alike (embedded mode behaves like the fleet); one
// table of attempts and successes at an injected clock runs against both.
package dev.tollgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

abstract class LoginThrottleContract {
    /** 3 attempts per username, 5 per address, in windows of 60 s. */
    static final LoginThrottle.Limits LIMITS = new LoginThrottle.Limits(3, 5, Duration.ofSeconds(60));
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    /** Subjects of this run, so runs against the shared Redis never meet. */
    final String run = UUID.randomUUID().toString();

    abstract LoginThrottle newThrottle(LoginThrottle.Limits limits);

    /** At {@code atMs} after T0: an attempt (expecting allowed, or refused with retry-after in ms) or a success. */
    record Step(long atMs, String op, String user, String address, Boolean allowed, long retryMs) {
        static Step attempt(long atMs, String user, String address) {
            return new Step(atMs, "attempt", user, address, true, 0);
        }

        static Step refused(long atMs, String user, String address, long retryMs) {
            return new Step(atMs, "attempt", user, address, false, retryMs);
        }

        static Step success(long atMs, String user, String address) {
            return new Step(atMs, "success", user, address, null, 0);
        }
    }

    static final List<Step> TABLE = List.of(
            Step.attempt(0, "u1", "a1"),
            Step.attempt(1_000, "u1", "a1"),
            Step.attempt(2_000, "u1", "a1"),
            // u1 used its 3 attempts; its window ends at 60 s, from any address
            Step.refused(3_000, "u1", "a1", 57_000),
            Step.refused(3_500, "u1", "a2", 56_500),
            // a1 has counted 3; u2 is its 4th, then u2's success takes it back off
            Step.attempt(4_000, "u2", "a1"),
            Step.success(4_000, "u2", "a1"),
            Step.attempt(5_000, "u3", "a1"),
            Step.attempt(6_000, "u4", "a1"),
            // a1 used its 5 attempts (u1 ×3, u3, u4): any username from a1 waits for a1's window
            Step.refused(7_000, "u5", "a1", 53_000),
            // both over: the later window decides (a3 is over until 70 s; u1's window ends at 60 s)
            Step.attempt(10_000, "u6", "a3"), Step.attempt(10_000, "u7", "a3"), Step.attempt(10_000, "u8", "a3"),
            Step.attempt(10_000, "u9", "a3"), Step.attempt(10_000, "u10", "a3"),
            Step.refused(20_000, "u1", "a3", 50_000),
            // refusals count nothing: u11 still has all 3 attempts when a3 frees up
            Step.refused(30_000, "u11", "a3", 40_000),
            Step.refused(69_999, "u11", "a3", 1),
            Step.attempt(70_000, "u11", "a3"),
            Step.attempt(70_000, "u11", "a3"),
            Step.attempt(70_000, "u11", "a3"),
            Step.refused(70_000, "u11", "a3", 60_000),
            // u1's window ended at 60 s: a fresh window, and a success clears the username at once
            Step.attempt(60_000, "u1", "a4"),
            Step.attempt(61_000, "u1", "a4"),
            Step.success(62_000, "u1", "a4"),
            Step.attempt(63_000, "u1", "a4"),
            Step.attempt(64_000, "u1", "a4"),
            Step.attempt(65_000, "u1", "a4"),
            Step.refused(66_000, "u1", "a4", 57_000),
            // a success on a fresh subject changes nothing
            Step.success(66_000, "u12", "a5"),
            Step.attempt(66_000, "u12", "a5"));

    @Test
    void followsTheTable() {
        LoginThrottle throttle = newThrottle(LIMITS);
        for (Step step : TABLE) {
            Instant now = T0.plusMillis(step.atMs());
            String user = run + ":" + step.user();
            String address = run + ":" + step.address();
            if (step.op().equals("success")) {
                throttle.succeeded(user, address, now);
                continue;
            }
            LoginThrottle.Verdict verdict = throttle.attempt(user, address, now);
            assertThat(verdict.allowed()).as(step.toString()).isEqualTo(step.allowed());
            assertThat(verdict.retryAfter()).as(step.toString()).isEqualTo(Duration.ofMillis(step.retryMs()));
        }
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(new LoginThrottle.Verdict(false, Duration.ofMillis(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(new LoginThrottle.Verdict(false, Duration.ofMillis(56_500)).retryAfterSeconds()).isEqualTo(57);
        assertThat(new LoginThrottle.Verdict(false, Duration.ofSeconds(900)).retryAfterSeconds()).isEqualTo(900);
    }
}
