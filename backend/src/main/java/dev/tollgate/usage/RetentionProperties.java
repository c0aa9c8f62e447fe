// Why: how long the request log and logged prompts are kept, and how the pruning job paces itself, typed and
// checked at start-up so a bad value stops the gateway instead of deleting the wrong rows. The names follow
// the environment variables (TOLLGATE_LOG_RETENTION_DAYS → tollgate.log-retention-days).
package dev.tollgate.usage;

import dev.tollgate.config.StartupException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import java.time.Duration;

@Context
@ConfigurationProperties("tollgate")
public class RetentionProperties {
    /** Days a request-log row is kept; the daily rollups are kept for ever. Env: TOLLGATE_LOG_RETENTION_DAYS. */
    private int logRetentionDays = 90;
    /** Days a logged prompt is kept (never longer than its row). Env: TOLLGATE_PROMPT_RETENTION_DAYS. */
    private int promptRetentionDays = 30;
    /** Pause between pruning runs. Env: TOLLGATE_LOG_PRUNE_INTERVAL. */
    private Duration logPruneInterval = Duration.ofMinutes(5);
    /** Wait before the first run after start. Env: TOLLGATE_LOG_PRUNE_DELAY. */
    private Duration logPruneDelay = Duration.ofSeconds(30);
    /** Rows deleted per transaction. Env: TOLLGATE_LOG_PRUNE_BATCH. */
    private int logPruneBatch = 5000;

    public int logRetentionDays() {
        return logRetentionDays;
    }

    /** Text, so a value that is no number is refused naming the variable (an int setter fails anonymously). */
    public void setLogRetentionDays(String days) {
        this.logRetentionDays = whole(days, "TOLLGATE_LOG_RETENTION_DAYS", 1, 3650, "days");
    }

    public int promptRetentionDays() {
        return promptRetentionDays;
    }

    public void setPromptRetentionDays(String days) {
        this.promptRetentionDays = whole(days, "TOLLGATE_PROMPT_RETENTION_DAYS", 1, 3650, "days");
    }

    public Duration logPruneInterval() {
        return logPruneInterval;
    }

    public void setLogPruneInterval(Duration interval) {
        this.logPruneInterval = within(interval, Duration.ofSeconds(1), "1s", "TOLLGATE_LOG_PRUNE_INTERVAL");
    }

    public Duration logPruneDelay() {
        return logPruneDelay;
    }

    public void setLogPruneDelay(Duration delay) {
        this.logPruneDelay = within(delay, Duration.ZERO, "0s", "TOLLGATE_LOG_PRUNE_DELAY");
    }

    public int logPruneBatch() {
        return logPruneBatch;
    }

    public void setLogPruneBatch(String batch) {
        this.logPruneBatch = whole(batch, "TOLLGATE_LOG_PRUNE_BATCH", 1, 100_000, "rows");
    }

    /** {@code value} when it lies between {@code min} and one day. */
    private static Duration within(Duration value, Duration min, String minText, String variable) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(Duration.ofDays(1)) > 0) {
            throw new StartupException(variable + ": must be between " + minText + " and 1d (got " + value + ")");
        }
        return value;
    }

    private static int whole(String value, String variable, int min, int max, String unit) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(variable + ": must be a whole number of " + unit + " between " + min + " and " + max
                + " (got '" + value + "')");
    }
}
