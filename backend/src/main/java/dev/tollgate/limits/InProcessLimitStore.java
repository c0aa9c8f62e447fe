// Why: embedded mode (one replica, no Redis) needs the same exact limits; this store keeps the counters,
// leases and reservations of each tenant in memory and makes each decision atomic under the tenant's lock.
package dev.tollgate.limits;

import dev.tollgate.limits.Admission.Admitted;
import dev.tollgate.limits.Admission.MeterState;
import dev.tollgate.limits.Admission.Refused;
import dev.tollgate.limits.Meter.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link LimitStore} on in-process maps: exact within one process, shared by nothing else. */
public final class InProcessLimitStore implements LimitStore {
    private static final int PURGE_EVERY = 1024;
    private final ZoneId zone;
    private final Map<String, TenantState> tenants = new ConcurrentHashMap<>();

    public InProcessLimitStore(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public CompletionStage<Admission> admit(AdmissionRequest request) {
        TenantState state = tenants.computeIfAbsent(request.tenantId(), t -> new TenantState());
        synchronized (state) {
            return CompletableFuture.completedFuture(state.admit(request, zone));
        }
    }

    @Override
    public CompletionStage<Void> settle(Settlement settlement) {
        TenantState state = tenants.get(settlement.tenantId());
        if (state != null) {
            synchronized (state) {
                state.settle(settlement);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> renew(String tenantId, String requestId, Duration lease, Instant now) {
        TenantState state = tenants.get(tenantId);
        if (state == null) {
            return CompletableFuture.completedFuture(false);
        }
        synchronized (state) {
            return CompletableFuture.completedFuture(state.renew(requestId, now.getEpochSecond() + Math.max(1, lease.toSeconds()), now.getEpochSecond()));
        }
    }

    @Override
    public CompletionStage<List<MeterState>> peek(String tenantId, List<Meter> meters, Instant now) {
        TenantState state = tenants.get(tenantId); // a tenant never admitted has nothing counted, and stays absent
        if (state == null) {
            state = new TenantState();
        }
        synchronized (state) {
            return CompletableFuture.completedFuture(state.peek(meters, now, zone));
        }
    }

    /** A counter's value and when it expires (its TTL). */
    private static final class Counter {
        long value;
        long expiresAtSecond;
    }

    /** What one admission added, so settlement can correct exactly those counters. */
    private static final class Reservation {
        final List<Charge> charges;
        final List<String> leaseSets;
        long expiresAtSecond;

        Reservation(List<Charge> charges, List<String> leaseSets, long expiresAtSecond) {
            this.charges = charges;
            this.leaseSets = leaseSets;
            this.expiresAtSecond = expiresAtSecond;
        }
    }

    private record Charge(String counterKey, Quantity quantity, long reserved) {
    }

    /** One tenant's counters, leases and reservations; every method runs under the instance's lock. */
    private static final class TenantState {
        private final Map<String, Counter> counters = new HashMap<>();
        /** lease set name (scope|name) to request id to lease expiry (epoch second) */
        private final Map<String, Map<String, Long>> leases = new HashMap<>();
        private final Map<String, Reservation> reservations = new HashMap<>();
        private int operations;

        Admission admit(AdmissionRequest request, ZoneId zone) {
            long now = request.now().getEpochSecond();
            purgeIfDue(now);
            List<Windows.Window> windows = new ArrayList<>(request.meters().size());
            List<MeterState> states = new ArrayList<>(request.meters().size());
            for (Meter meter : request.meters()) {
                long amount = request.amountFor(meter);
                if (meter.quantity() == Quantity.CONCURRENCY) {
                    Map<String, Long> held = leaseSet(meter);
                    held.values().removeIf(expiry -> expiry <= now);
                    if (held.size() + 1 > meter.limit()) {
                        return new Refused(meter, held.size(), 1);
                    }
                    windows.add(null);
                    states.add(new MeterState(meter, held.size() + 1, request.now()));
                    continue;
                }
                Windows.Window window = Windows.current(meter.window(), request.now(), zone);
                long[] counts = counts(meter, window, now);
                long used = 0;
                for (long c : counts) {
                    used += c;
                }
                if (used + amount > meter.limit()) {
                    long retry = window.fitsAt(counts, meter.limit(), amount)
                            .map(at -> Windows.secondsUntil(request.now(), at))
                            .orElse(window.retryAfterSeconds());
                    return new Refused(meter, used, retry);
                }
                counts[counts.length - 1] += amount;
                windows.add(window);
                states.add(new MeterState(meter, used + amount, window.resetAt(counts)));
            }
            long leaseEnd = now + Math.max(1, request.lease().toSeconds());
            List<Charge> charges = new ArrayList<>();
            List<String> leaseSets = new ArrayList<>();
            for (int i = 0; i < request.meters().size(); i++) {
                Meter meter = request.meters().get(i);
                if (meter.quantity() == Quantity.CONCURRENCY) {
                    String set = setName(meter);
                    leases.computeIfAbsent(set, s -> new HashMap<>()).put(request.requestId(), leaseEnd);
                    leaseSets.add(set);
                    continue;
                }
                Windows.Window window = windows.get(i);
                String key = counterKey(meter, window.id());
                Counter c = counters.computeIfAbsent(key, k -> new Counter());
                c.value += request.amountFor(meter);
                c.expiresAtSecond = now + window.ttlSeconds();
                charges.add(new Charge(key, meter.quantity(), request.amountFor(meter)));
            }
            reservations.put(request.requestId(), new Reservation(charges, leaseSets, leaseEnd));
            return new Admitted(request.requestId(), states);
        }

        /** Reads without removing anything: expired leases and counters are skipped, as admission would drop them. */
        List<MeterState> peek(List<Meter> meters, Instant at, ZoneId zone) {
            long now = at.getEpochSecond();
            List<MeterState> states = new ArrayList<>(meters.size());
            for (Meter meter : meters) {
                if (meter.quantity() == Quantity.CONCURRENCY) {
                    long held = leases.getOrDefault(setName(meter), Map.of()).values().stream()
                            .filter(expiry -> expiry > now).count();
                    states.add(new MeterState(meter, held, null));
                } else {
                    Windows.Window window = Windows.current(meter.window(), at, zone);
                    states.add(MeterState.counted(meter, window, counts(meter, window, now)));
                }
            }
            return states;
        }

        boolean renew(String requestId, long leaseEnd, long now) {
            Reservation r = reservations.get(requestId);
            if (r == null || r.expiresAtSecond <= now) {
                return false;
            }
            r.expiresAtSecond = Math.max(r.expiresAtSecond, leaseEnd);
            for (String set : r.leaseSets) {
                Map<String, Long> held = leases.get(set);
                if (held != null) {
                    held.computeIfPresent(requestId, (id, end) -> Math.max(end, leaseEnd));
                }
            }
            return true;
        }

        void settle(Settlement s) {
            long now = s.now().getEpochSecond();
            Reservation r = reservations.remove(s.requestId());
            if (r == null || r.expiresAtSecond <= now) {
                return;
            }
            if (s.measured()) {
                for (Charge charge : r.charges) {
                    long measured = switch (charge.quantity()) {
                        case TOKENS -> s.tokens();
                        case MICROS -> s.costMicros();
                        default -> charge.reserved();
                    };
                    Counter c = counters.get(charge.counterKey());
                    if (c != null && c.expiresAtSecond > now) {
                        c.value += measured - charge.reserved();
                    }
                }
            }
            for (String set : r.leaseSets) {
                Map<String, Long> held = leases.get(set);
                if (held != null) {
                    held.remove(s.requestId());
                }
            }
        }

        private long[] counts(Meter meter, Windows.Window window, long now) {
            List<Windows.Bucket> buckets = window.buckets();
            long[] counts = new long[buckets.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = live(counterKey(meter, buckets.get(i).id()), now);
            }
            if (window.kind().isSliding()) {
                // the bucket after the current one, charged by a request that read the time later and took the lock
                // first, is real usage and counts as the current bucket's (as in admit.lua)
                counts[counts.length - 1] += live(counterKey(meter,
                        Windows.bucketId(window.kind(), window.current().end().getEpochSecond())), now);
            }
            return counts;
        }

        /** The value of the counter {@code key}, or 0 when it does not exist or has expired by {@code now}. */
        private long live(String key, long now) {
            Counter c = counters.get(key);
            return c == null || c.expiresAtSecond <= now ? 0 : c.value;
        }

        private Map<String, Long> leaseSet(Meter meter) {
            return leases.computeIfAbsent(setName(meter), s -> new HashMap<>());
        }

        private void purgeIfDue(long now) {
            if (++operations % PURGE_EVERY != 0) {
                return;
            }
            counters.values().removeIf(c -> c.expiresAtSecond <= now);
            reservations.values().removeIf(r -> r.expiresAtSecond <= now);
            leases.values().forEach(held -> held.values().removeIf(expiry -> expiry <= now));
        }

        private static String setName(Meter meter) {
            return meter.scope() + "|" + meter.name();
        }

        private static String counterKey(Meter meter, String windowId) {
            return meter.scope() + "|" + meter.name() + "|" + windowId;
        }
    }
}
