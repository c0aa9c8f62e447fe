// Why: every replica, the Redis script and the in-process store must name and expire the same counters for the same
// window, and quota errors need a Retry-After; this is the one pure place that turns (kind, now, zone) into that.
package dev.tollgate.limits;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * Computes the current window of a {@link WindowKind}: the counters (Redis keys, by id) to SUM for the check, the one
 * to INCRBY, their TTLs and the Retry-After. Pure: {@code now} and the zone are always parameters.
 *
 * <h2>Calendar kinds: one counter per window</h2>
 * Windows follow local time in {@code zone} ({@code TOLLGATE_TIMEZONE}); the start is
 * {@link LocalDate#atStartOfDay(ZoneId)}, so a local midnight that does not exist (DST jump at 00:00, e.g.
 * America/Santiago, America/Havana, Asia/Beirut) starts the day at the end of the gap.
 * <ul>
 *   <li>{@code DAILY}: local midnight to the next local midnight (23 or 25 hours on DST days), id
 *       {@code d20261123}.</li>
 *   <li>{@code WEEKLY}: ISO week, Monday 00:00 local to the next Monday, id {@code w2026W48} (ISO week-based year and
 *       week, so 2026-12-31 and 2027-01-03 are both {@code w2026W53}).</li>
 *   <li>{@code MONTHLY}: the 1st 00:00 local to the next 1st, id {@code m202611}.</li>
 * </ul>
 * {@code now} belongs to the window of its local date: a window is {@code [start, end)}, so {@code now} exactly at a
 * boundary is in the new window. Where local time jumped back across midnight (St. John's fell back at 00:01 from
 * 1987 to 2010) the repeated hour still belongs to the earlier date, whose window then ends at the later occurrence
 * of midnight; windows always satisfy {@code start <= now < end}.
 *
 * <h2>Sliding kinds: a sum of epoch-aligned buckets</h2>
 * {@code H5}, {@code H24}, {@code D7}, {@code D30} and {@code MINUTE_SLIDING} are true sliding windows, exact to the
 * bucket granularity ({@link WindowKind#bucketSeconds()}: 5 min, 15 min, 2 h, 6 h, 1 s). Buckets are aligned to the
 * Unix epoch, so every replica and every zone computes the same ones. With {@code g} the bucket length, {@code n}
 * the bucket count and {@code L = n*g}, at time {@code now} (in seconds, {@code k = floor(now / g)}):
 * <ul>
 *   <li>INCRBY the current bucket, id {@code <prefix>:<k*g>} (its start in epoch seconds, e.g. {@code h5:1795428900}),
 *       with TTL {@code (k+1)*g + L - now + GRACE} (rounded up);</li>
 *   <li>SUM the {@code n + 1} buckets {@code k-n .. k}: every bucket that overlaps {@code (now - L, now]}.</li>
 * </ul>
 * So usage is counted from the moment it is added until the end of its bucket plus {@code L}: for more than {@code L}
 * and at most {@code L + g}. The check is conservative: usage in any span of length {@code L} never exceeds the
 * limit; in exchange a client may wait up to one bucket longer than a perfectly exact window would make it. A Lua
 * script can compute the same ids from Redis {@code TIME} with the formulas above.
 *
 * <h2>TOTAL</h2>
 * One counter, id {@code total}, that never resets: {@code start} is the epoch, {@code end} is {@code null}. Its TTL
 * is {@link #TOTAL_TTL_SECONDS} (400 days), to be refreshed on every write; a total counter therefore only lapses
 * after 400 days without any usage. Retry-After for a spent total budget is {@link #TOTAL_RETRY_AFTER_SECONDS}: only
 * an admin raising the limit can let the client through.
 *
 * <h2>Rounding</h2>
 * Retry-After and TTLs are whole seconds, rounded up, at least 1; TTLs add {@link #GRACE_SECONDS} so a counter
 * outlives its window even if the clock that computed the TTL runs a little ahead of Redis.
 */
public final class Windows {
    /** Added to every TTL but TOTAL's, in seconds. */
    public static final long GRACE_SECONDS = 60;
    /** TTL of the {@code total} counter (400 days), refreshed on every write. */
    public static final long TOTAL_TTL_SECONDS = 400L * 24 * 3600;
    /** Retry-After for a spent {@code total} window, which never resets (one day). */
    public static final long TOTAL_RETRY_AFTER_SECONDS = 24L * 3600;

    private Windows() {
    }

    /**
     * The window of {@code kind} that contains {@code now}.
     *
     * @param zone the configured zone; only calendar kinds depend on it, but it is always required
     */
    public static Window current(WindowKind kind, Instant now, ZoneId zone) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        return switch (kind.type()) {
            case CALENDAR -> calendar(kind, now, zone);
            case SLIDING -> sliding(kind, now);
            case TOTAL -> new Window(kind, now, Instant.EPOCH, null,
                    List.of(new Bucket("total", Instant.EPOCH, null, null, TOTAL_TTL_SECONDS)),
                    TOTAL_RETRY_AFTER_SECONDS);
        };
    }

    /** Whole seconds from {@code now} until {@code then}, rounded up, at least 1 (for Retry-After). */
    public static long secondsUntil(Instant now, Instant then) {
        return Math.max(1, ceilSeconds(now, then));
    }

    /** TTL in seconds for a counter that must live until {@code until}: rounded up, plus {@link #GRACE_SECONDS}. */
    public static long ttlSeconds(Instant now, Instant until) {
        return Math.max(1, ceilSeconds(now, until) + GRACE_SECONDS);
    }

    /**
     * Whole seconds from {@code now} to {@code then}, rounded up (as {@code Duration.between}'s seconds plus one for a
     * remainder), computed without allocating: it runs for every counter of every limit decision.
     */
    private static long ceilSeconds(Instant now, Instant then) {
        long seconds = Math.subtractExact(then.getEpochSecond(), now.getEpochSecond());
        // nanos differ by less than a second either way: a positive remainder rounds up, a negative one is already
        // inside the whole seconds counted
        return then.getNano() > now.getNano() ? seconds + 1 : seconds;
    }

    private static Window calendar(WindowKind kind, Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate first;
        LocalDate next;
        String id;
        switch (kind) {
            case DAILY -> {
                first = today;
                next = today.plusDays(1);
                id = digits(digits(digits(new StringBuilder("d"), today.getYear(), 4),
                        today.getMonthValue(), 2), today.getDayOfMonth(), 2).toString();
            }
            case WEEKLY -> {
                first = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                next = first.plusWeeks(1);
                id = digits(digits(new StringBuilder("w"), today.get(IsoFields.WEEK_BASED_YEAR), 4).append('W'),
                        today.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2).toString();
            }
            case MONTHLY -> {
                first = today.withDayOfMonth(1);
                next = first.plusMonths(1);
                id = digits(digits(new StringBuilder("m"), today.getYear(), 4), today.getMonthValue(), 2).toString();
            }
            default -> throw new IllegalArgumentException("not a calendar window: " + kind);
        }
        Instant start = first.atStartOfDay(zone).toInstant();
        ZonedDateTime endAt = next.atStartOfDay(zone);
        if (!endAt.toInstant().isAfter(now)) {
            // Local time went back across midnight into this date: the window lasts until midnight comes again.
            endAt = endAt.withLaterOffsetAtOverlap();
        }
        Instant end = endAt.toInstant();
        if (!end.isAfter(now)) {
            throw new IllegalStateException("no " + kind + " window end after " + now + " in " + zone);
        }
        Bucket bucket = new Bucket(id, start, end, end, ttlSeconds(now, end));
        return new Window(kind, now, start, end, List.of(bucket), secondsUntil(now, end));
    }

    /** Appends {@code value} zero-padded to {@code width} digits (as {@code %0<width>d} would). */
    private static StringBuilder digits(StringBuilder sb, int value, int width) {
        if (value < 0) {
            sb.append('-');
            width--;
        }
        String text = Integer.toString(Math.abs(value));
        for (int i = text.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(text);
    }

    private static Window sliding(WindowKind kind, Instant now) {
        long g = kind.bucketSeconds();
        long k = Math.floorDiv(now.getEpochSecond(), g);
        SlidingBuckets buckets = new SlidingBuckets(kind, now, k - kind.bucketCount(), kind.bucketCount() + 1);
        Instant currentEnd = Instant.ofEpochSecond((k + 1) * g);
        return new Window(kind, now, buckets.startOf(0), currentEnd, buckets, secondsUntil(now, currentEnd));
    }

    /** The id of the sliding {@code kind}'s bucket that starts at {@code startSecond} (epoch seconds). */
    static String bucketId(WindowKind kind, long startSecond) {
        return kind.idPrefix() + ":" + startSecond;
    }

    /**
     * The buckets of a sliding window, made when asked for: a limit decision reads two or three of a window's 61 to
     * 121 buckets, and building them all was half of what a request with per-minute limits allocated (about 50 KB
     * with rpm and tpm on key and tenant). Immutable, and equal to any list of the same buckets.
     */
    private static final class SlidingBuckets extends AbstractList<Bucket> implements RandomAccess {
        private final WindowKind kind;
        private final Instant now;
        /** The index (start / bucket length) of the oldest bucket. */
        private final long first;
        private final int size;
        /** The newest bucket, the one most asked for (the counter to add to), made once. */
        private final Bucket current;

        SlidingBuckets(WindowKind kind, Instant now, long first, int size) {
            this.kind = kind;
            this.now = now;
            this.first = first;
            this.size = size;
            this.current = make(size - 1);
        }

        Instant startOf(int index) {
            return Instant.ofEpochSecond((first + index) * kind.bucketSeconds());
        }

        @Override
        public Bucket get(int index) {
            Objects.checkIndex(index, size);
            return index == size - 1 ? current : make(index);
        }

        private Bucket make(int index) {
            long g = kind.bucketSeconds();
            long i = first + index;
            Instant countedUntil = Instant.ofEpochSecond((i + 1) * g + kind.lengthSeconds());
            return new Bucket(bucketId(kind, i * g), Instant.ofEpochSecond(i * g),
                    Instant.ofEpochSecond((i + 1) * g), countedUntil, ttlSeconds(now, countedUntil));
        }

        @Override
        public int size() {
            return size;
        }
    }

    /**
     * One counter.
     *
     * @param id the counter's name within its kind, for the Redis key (the caller adds tenant/key scope and metric)
     * @param start start of the span of time this counter collects
     * @param end end (exclusive) of that span; {@code null} for TOTAL
     * @param countedUntil when this counter stops counting towards the check: the window end for calendar kinds,
     *        {@code end + length} for sliding buckets, {@code null} (never) for TOTAL
     * @param ttlSeconds TTL to set on the counter: until {@code countedUntil} plus grace, rounded up, at least 1
     */
    public record Bucket(String id, Instant start, Instant end, Instant countedUntil, long ttlSeconds) {
    }

    /**
     * The window of a kind that contains {@link #now()}.
     *
     * @param start calendar: the window start; sliding: the start of the oldest summed bucket ({@code <= now - L});
     *        TOTAL: the epoch
     * @param end the next instant at which the counted usage can fall (exclusive end): calendar: the window end (its
     *        reset); sliding: the end of the current bucket, when the oldest summed bucket drops out; TOTAL: {@code null}
     * @param buckets the counters to SUM for the check, oldest first; the last one is {@link #current()}.
     *        One for calendar kinds and TOTAL, {@code bucketCount() + 1} for sliding kinds
     * @param retryAfterSeconds seconds until {@code end}, rounded up, at least 1 (TOTAL:
     *        {@link Windows#TOTAL_RETRY_AFTER_SECONDS}); for a sliding window, {@link #fitsAt} gives a tighter answer
     */
    public record Window(WindowKind kind, Instant now, Instant start, Instant end, List<Bucket> buckets,
            long retryAfterSeconds) {

        /** The counter to INCRBY for usage added now. */
        public Bucket current() {
            return buckets.get(buckets.size() - 1);
        }

        /** The current counter's id ({@code d20261123}, {@code h5:1795428900}, {@code total}, ...). */
        public String id() {
            return current().id();
        }

        /** TTL to set on the current counter when adding to it. */
        public long ttlSeconds() {
            return current().ttlSeconds();
        }

        /** The ids of {@link #buckets()}, oldest first. */
        public List<String> ids() {
            return buckets.stream().map(Bucket::id).toList();
        }

        /** Whether this window ever resets (every kind but TOTAL). */
        public boolean resets() {
            return end != null;
        }

        /**
         * When the whole limit is free again, given the counters' values ({@link #buckets()} order): calendar kinds,
         * the window end; sliding kinds, when the newest non-empty bucket stops counting ({@code now} if all are
         * empty); TOTAL, {@code null} (never).
         */
        public Instant resetAt(long[] counts) {
            if (!kind.isSliding()) {
                return end;
            }
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] > 0) {
                    return buckets.get(i).countedUntil();
                }
            }
            return now;
        }

        /**
         * The earliest instant at which {@code amount} more fits under {@code limit}, given the counters' values:
         * {@code now} if it fits already, else the moment enough of the oldest buckets have dropped out (calendar
         * kinds: the window end), or empty if it never will ({@code amount > limit}, or a spent TOTAL).
         * {@code fitsAt(counts, limit, limit)} is when the whole limit is available again (the rate-limit reset).
         *
         * @param counts the value of each of {@link #buckets()}, same order (a missing key counts 0)
         */
        public Optional<Instant> fitsAt(long[] counts, long limit, long amount) {
            if (counts.length != buckets.size()) {
                throw new IllegalArgumentException("expected " + buckets.size() + " counts, got " + counts.length);
            }
            long sum = 0;
            for (long c : counts) {
                sum = Math.addExact(sum, c);
            }
            if (Math.addExact(sum, amount) <= limit) {
                return Optional.of(now);
            }
            for (int i = 0; i < counts.length; i++) {
                sum -= counts[i];
                if (Math.addExact(sum, amount) <= limit) {
                    return Optional.ofNullable(buckets.get(i).countedUntil());
                }
            }
            return Optional.empty();
        }
    }
}
