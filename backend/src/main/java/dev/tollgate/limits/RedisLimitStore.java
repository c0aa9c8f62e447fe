// Why: limits must be exact across any number of replicas, so the counters, leases and reservations live in Redis
// and every admission and settlement is one Lua script (one atomic round trip) that behaves like
// InProcessLimitStore. Java computes the windows (Windows), the key names and the TTLs; the scripts only count.
package dev.tollgate.limits;

import dev.tollgate.limits.Admission.Admitted;
import dev.tollgate.limits.Admission.MeterState;
import dev.tollgate.limits.Admission.Refused;
import dev.tollgate.limits.Meter.Quantity;
import dev.tollgate.storage.RedisScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link LimitStore} on Redis (standalone or Cluster). Every key of a tenant carries the hash tag
 * {@code {t:<tenantId>}}, so each script touches one slot:
 * <ul>
 *   <li>{@code {t:<tenant>}:c:<scope>:<meterName>:<windowId>}: an integer counter (requests, tokens or
 *       micro-dollars) of one calendar window (or the total), expiring with {@link Windows.Bucket#ttlSeconds()};</li>
 *   <li>{@code {t:<tenant>}:c:<scope>:<meterName>:<kindPrefix>}: a sliding window's buckets as one hash (field: the
 *       bucket's start in epoch seconds; value: its count) with the total of its buckets ({@code _sum}) and the
 *       oldest start a bucket may have ({@code _low}): an admission reads the total and deletes the buckets that
 *       left the window since then, not every bucket (admit.lua); the hash expires with its newest bucket;</li>
 *   <li>{@code {t:<tenant>}:l:<scope>:<meterName>}: the concurrency leases, a sorted set of request ids scored by
 *       lease end (epoch seconds), expiring with the longest lease;</li>
 *   <li>{@code {t:<tenant>}:res:<requestId>}: the reservation hash (charged counters with quantity and amount,
 *       lease sets), expiring with the lease.</li>
 * </ul>
 * {@code now} is the request's (passed to the scripts, which never call {@code TIME}). Scripts are loaded at
 * construction and run with {@code EVALSHA}; after {@code NOSCRIPT} (Redis restarted or flushed its script cache) a
 * script is loaded again and the call retried once. {@link #peek} (peek.lua) reads the same keys and writes nothing.
 */
public final class RedisLimitStore implements LimitStore {
    private final ZoneId zone;
    private final RedisScript admitScript;
    private final RedisScript settleScript;
    private final RedisScript renewScript;
    private final RedisScript peekScript;

    /** Loads the scripts (blocking, once): construct at startup, not on an event loop thread. */
    public RedisLimitStore(StatefulRedisConnection<String, String> connection, ZoneId zone) {
        Objects.requireNonNull(connection, "connection");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.admitScript = new RedisScript(connection, "/lua/admit.lua");
        this.settleScript = new RedisScript(connection, "/lua/settle.lua");
        this.renewScript = new RedisScript(connection, "/lua/renew.lua");
        this.peekScript = new RedisScript(connection, "/lua/peek.lua");
    }

    /** The prefix of every key of {@code tenantId}: its hash tag and a separator. */
    static String tenantPrefix(String tenantId) {
        return "{t:" + Objects.requireNonNull(tenantId, "tenantId") + "}:";
    }

    /** A concurrency meter's lease set. */
    private static String leaseKey(String prefix, Meter meter) {
        return prefix + "l:" + meter.scope() + ":" + meter.name();
    }

    /** A meter's counter in {@code window}: one key per calendar window (or the total), one hash per sliding meter. */
    private static String counterKey(String prefix, Meter meter, Windows.Window window) {
        String suffix = window.kind().isSliding() ? window.kind().idPrefix() : window.id();
        return prefix + "c:" + meter.scope() + ":" + meter.name() + ":" + suffix;
    }

    @Override
    public CompletionStage<Admission> admit(AdmissionRequest request) {
        String prefix = tenantPrefix(request.tenantId());
        long now = request.now().getEpochSecond();
        long leaseSeconds = Math.max(1, request.lease().toSeconds());
        List<Meter> meters = request.meters();
        List<Windows.Window> windows = new ArrayList<>(meters.size());
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>(5 + 7 * meters.size());
        keys.add(prefix + "res:" + request.requestId());
        args.add(Long.toString(now));
        args.add(Long.toString(leaseSeconds));
        args.add(Long.toString(now + leaseSeconds));
        args.add(request.requestId());
        args.add(Integer.toString(meters.size()));
        for (Meter meter : meters) {
            if (meter.quantity() == Quantity.CONCURRENCY) {
                windows.add(null);
                keys.add(leaseKey(prefix, meter));
                addMeterArgs(args, "L", meter.limit(), 1, leaseSeconds, null, null);
                args.add("");
                continue;
            }
            Windows.Window window = Windows.current(meter.window(), request.now(), zone);
            windows.add(window);
            keys.add(counterKey(prefix, meter, window));
            if (window.kind().isSliding()) {
                // one hash per sliding meter; its fields are the buckets' start times
                addMeterArgs(args, quantityCode(meter.quantity()), meter.limit(), request.amountFor(meter),
                        window.ttlSeconds(), window.current().start(), window.start());
                args.add(Long.toString(window.kind().bucketSeconds()));
            } else {
                addMeterArgs(args, quantityCode(meter.quantity()), meter.limit(), request.amountFor(meter),
                        window.ttlSeconds(), null, null);
                args.add("");
            }
        }
        return admitScript.<List<Object>>run(ScriptOutputType.MULTI, keys, args)
                .thenApply(reply -> toAdmission(request, windows, reply));
    }

    @Override
    public CompletionStage<Void> settle(Settlement settlement) {
        String prefix = tenantPrefix(settlement.tenantId());
        List<String> keys = List.of(prefix + "res:" + settlement.requestId());
        List<String> args = List.of(settlement.measured() ? "1" : "0", Long.toString(settlement.tokens()),
                Long.toString(settlement.costMicros()), settlement.requestId(), prefix);
        return settleScript.<Long>run(ScriptOutputType.INTEGER, keys, args).thenApply(settled -> null);
    }

    @Override
    public CompletionStage<Boolean> renew(String tenantId, String requestId, Duration lease, Instant now) {
        String prefix = tenantPrefix(tenantId);
        long leaseSeconds = Math.max(1, lease.toSeconds());
        List<String> keys = List.of(prefix + "res:" + requestId);
        List<String> args = List.of(Long.toString(now.getEpochSecond() + leaseSeconds), Long.toString(leaseSeconds),
                requestId, prefix);
        return renewScript.<Long>run(ScriptOutputType.INTEGER, keys, args).thenApply(renewed -> renewed == 1L);
    }

    @Override
    public CompletionStage<List<MeterState>> peek(String tenantId, List<Meter> meters, Instant now) {
        String prefix = tenantPrefix(tenantId);
        List<Windows.Window> windows = new ArrayList<>(meters.size());
        List<String> keys = new ArrayList<>(meters.size());
        List<String> args = new ArrayList<>(1 + 4 * meters.size());
        args.add(Long.toString(now.getEpochSecond()));
        for (Meter meter : meters) {
            if (meter.quantity() == Quantity.CONCURRENCY) {
                windows.add(null);
                keys.add(leaseKey(prefix, meter));
                args.addAll(List.of("L", "", "", ""));
                continue;
            }
            Windows.Window window = Windows.current(meter.window(), now, zone);
            windows.add(window);
            keys.add(counterKey(prefix, meter, window));
            if (window.kind().isSliding()) {
                args.addAll(List.of("S", Long.toString(window.start().getEpochSecond()),
                        Long.toString(window.kind().bucketSeconds()), Integer.toString(window.buckets().size())));
            } else {
                args.addAll(List.of("C", "", "", ""));
            }
        }
        return peekScript.<List<Object>>run(ScriptOutputType.MULTI, keys, args).thenApply(reply -> {
            List<MeterState> states = new ArrayList<>(meters.size());
            for (int i = 0; i < meters.size(); i++) {
                long[] counts = counts((List<?>) reply.get(i), 0);
                Windows.Window window = windows.get(i);
                states.add(window == null ? new MeterState(meters.get(i), counts[0], null)
                        : MeterState.counted(meters.get(i), window, counts));
            }
            return states;
        });
    }

    /** Six of a meter's seven arguments (kind, limit, amount, TTL, current and oldest bucket field); see admit.lua. */
    private static void addMeterArgs(List<String> args, String kind, long limit, long amount, long ttl,
                                     Instant field, Instant oldest) {
        args.add(kind);
        args.add(Long.toString(limit));
        args.add(Long.toString(amount));
        args.add(Long.toString(ttl));
        args.add(field == null ? "" : Long.toString(field.getEpochSecond()));
        args.add(oldest == null ? "" : Long.toString(oldest.getEpochSecond()));
    }

    private static String quantityCode(Quantity quantity) {
        return switch (quantity) {
            case REQUESTS -> "R";
            case TOKENS -> "T";
            case MICROS -> "M";
            case CONCURRENCY -> "L";
        };
    }

    /** Builds the answer exactly as InProcessLimitStore does, from the script's counts. */
    private static Admission toAdmission(AdmissionRequest request, List<Windows.Window> windows, List<Object> reply) {
        List<Meter> meters = request.meters();
        if (number(reply.get(0)) == 0) {
            int index = (int) number(reply.get(1));
            long used = number(reply.get(2));
            Meter meter = meters.get(index);
            if (meter.quantity() == Quantity.CONCURRENCY) {
                return new Refused(meter, used, 1);
            }
            Windows.Window window = windows.get(index);
            long retry = window.fitsAt(counts(reply, 3), meter.limit(), request.amountFor(meter))
                    .map(at -> Windows.secondsUntil(request.now(), at))
                    .orElse(window.retryAfterSeconds());
            return new Refused(meter, used, retry);
        }
        List<MeterState> states = new ArrayList<>(meters.size());
        for (int i = 0; i < meters.size(); i++) {
            Meter meter = meters.get(i);
            List<?> state = (List<?>) reply.get(i + 1);
            long used = number(state.get(0));
            Windows.Window window = windows.get(i);
            Instant reset;
            if (window == null) {
                reset = request.now();
            } else if (window.kind().isSliding()) {
                // the whole limit is free again when the newest non-empty bucket stops counting (fitsAt(limit))
                int newest = (int) number(state.get(1));
                reset = newest == 0 ? request.now() : window.buckets().get(newest - 1).countedUntil();
            } else {
                reset = window.end();
            }
            states.add(new MeterState(meter, used, reset));
        }
        return new Admitted(request.requestId(), states);
    }

    private static long[] counts(List<?> reply, int from) {
        long[] counts = new long[reply.size() - from];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = number(reply.get(from + i));
        }
        return counts;
    }

    private static long number(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        throw new IllegalStateException("unexpected script reply element: " + value);
    }

    /** A Lua script run by SHA, loaded again (once per call) when Redis no longer knows it. */
}
