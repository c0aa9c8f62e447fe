// Why: the limit engine, the admin API and the Redis/in-process stores must agree on which windows exist, what the
// contract strings ("daily", "5h", ...) mean, and how finely each rolling window is bucketed.
package dev.tollgate.limits;

/**
 * The kinds of window usage is counted in. See {@link Windows} for how each kind's current window is computed.
 *
 * <ul>
 *   <li>Calendar kinds ({@link #DAILY}, {@link #WEEKLY}, {@link #MONTHLY}) follow local time in the configured zone
 *       ({@code TOLLGATE_TIMEZONE}); one counter per window.</li>
 *   <li>Sliding kinds ({@link #H5}, {@link #H24}, {@link #D7}, {@link #D30}, {@link #MINUTE_SLIDING}) are summed over
 *       fixed-length buckets aligned to the Unix epoch, independent of any zone:
 *       <table>
 *         <caption>bucket granularity</caption>
 *         <tr><th>kind</th><th>length</th><th>bucket</th><th>buckets in the length</th><th>keys summed</th></tr>
 *         <tr><td>MINUTE_SLIDING (rpm, tpm)</td><td>60 s</td><td>1 s</td><td>60</td><td>61</td></tr>
 *         <tr><td>H5</td><td>5 h</td><td>5 min</td><td>60</td><td>61</td></tr>
 *         <tr><td>H24</td><td>24 h</td><td>15 min</td><td>96</td><td>97</td></tr>
 *         <tr><td>D7</td><td>7 d</td><td>2 h</td><td>84</td><td>85</td></tr>
 *         <tr><td>D30</td><td>30 d</td><td>6 h</td><td>120</td><td>121</td></tr>
 *       </table></li>
 *   <li>{@link #TOTAL} never resets; one counter.</li>
 * </ul>
 */
public enum WindowKind {
    DAILY("daily", Type.CALENDAR, "d", 0, 0),
    WEEKLY("weekly", Type.CALENDAR, "w", 0, 0),
    MONTHLY("monthly", Type.CALENDAR, "m", 0, 0),
    H5("5h", Type.SLIDING, "h5", 5 * 60, 60),
    H24("24h", Type.SLIDING, "h24", 15 * 60, 96),
    D7("7d", Type.SLIDING, "d7", 2 * 3600, 84),
    D30("30d", Type.SLIDING, "d30", 6 * 3600, 120),
    TOTAL("total", Type.TOTAL, "total", 0, 0),
    /** The 60 s sliding window of {@code rpm} and {@code tpm}; not a budget window, so it has no contract name. */
    MINUTE_SLIDING(null, Type.SLIDING, "s60", 1, 60);

    /** How a kind's windows are laid out in time. */
    public enum Type { CALENDAR, SLIDING, TOTAL }

    private final String contractName;
    private final Type type;
    private final String idPrefix;
    private final long bucketSeconds;
    private final int bucketCount;

    WindowKind(String contractName, Type type, String idPrefix, long bucketSeconds, int bucketCount) {
        this.contractName = contractName;
        this.type = type;
        this.idPrefix = idPrefix;
        this.bucketSeconds = bucketSeconds;
        this.bucketCount = bucketCount;
    }

    /**
     * The kind named by a budget's {@code window} in the contract: exactly one of
     * {@code daily|weekly|monthly|5h|24h|7d|30d|total} (case-sensitive, as the admin API stores it).
     *
     * @throws IllegalArgumentException for anything else, including {@code null}
     */
    public static WindowKind parse(String window) {
        if (window != null) {
            for (WindowKind kind : values()) {
                if (window.equals(kind.contractName)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown window: " + window
                + " (expected daily, weekly, monthly, 5h, 24h, 7d, 30d or total)");
    }

    /**
     * The kind a count limit of {@link Limits} is enforced in: {@code rpm}, {@code tpm} → {@link #MINUTE_SLIDING};
     * {@code daily_requests}, {@code daily_tokens} → {@link #DAILY}; {@code monthly_requests},
     * {@code monthly_tokens} → {@link #MONTHLY}.
     *
     * @throws IllegalArgumentException for any other name ({@code concurrency} is not counted in a window;
     *         a budget's window comes from {@link #parse})
     */
    public static WindowKind forLimit(String limitName) {
        if (limitName != null) {
            switch (limitName) {
                case "rpm", "tpm":
                    return MINUTE_SLIDING;
                case "daily_requests", "daily_tokens":
                    return DAILY;
                case "monthly_requests", "monthly_tokens":
                    return MONTHLY;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("not a windowed count limit: " + limitName);
    }

    /** The contract's name for this kind ({@code "5h"}, {@code "daily"}, ...); {@code null} for MINUTE_SLIDING. */
    public String contractName() {
        return contractName;
    }

    public Type type() {
        return type;
    }

    public boolean isCalendar() {
        return type == Type.CALENDAR;
    }

    public boolean isSliding() {
        return type == Type.SLIDING;
    }

    /**
     * The prefix of every window or bucket id of this kind ({@code d}, {@code w}, {@code m}, {@code h5},
     * {@code h24}, {@code d7}, {@code d30}, {@code total}, {@code s60}); ids of different kinds never collide.
     */
    public String idPrefix() {
        return idPrefix;
    }

    /** Length of one bucket of a sliding kind, in seconds; 0 for other kinds. */
    public long bucketSeconds() {
        return bucketSeconds;
    }

    /** How many buckets make up the sliding length ({@code lengthSeconds() / bucketSeconds()}); 0 for other kinds. */
    public int bucketCount() {
        return bucketCount;
    }

    /** The sliding length in seconds (60, 5 h, 24 h, 7 d, 30 d); 0 for other kinds. */
    public long lengthSeconds() {
        return bucketSeconds * bucketCount;
    }
}
