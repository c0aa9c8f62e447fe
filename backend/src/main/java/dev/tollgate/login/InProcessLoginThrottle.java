// Why: embedded mode (one replica) counts login attempts in this process, with the same windows as login.lua.
package dev.tollgate.login;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

public final class InProcessLoginThrottle implements LoginThrottle {
    /** Above this many counters, ended windows are swept out (so sprayed usernames cannot grow the map for ever). */
    private static final int SWEEP_ABOVE = 10_000;
    private final Limits limits;
    private final Map<String, Window> counters = new HashMap<>();

    public InProcessLoginThrottle(Limits limits) {
        this.limits = limits;
    }

    private record Window(int count, Instant end) {
    }

    @Override
    public synchronized Verdict attempt(String username, String address, Instant now) {
        if (counters.size() > SWEEP_ABOVE) {
            counters.values().removeIf(w -> !now.isBefore(w.end()));
        }
        Window user = live("u:" + username, now);
        Window addr = live("a:" + address, now);
        Instant until = null;
        if (user != null && user.count() >= limits.perUsername()) {
            until = user.end();
        }
        if (addr != null && addr.count() >= limits.perAddress() && (until == null || addr.end().isAfter(until))) {
            until = addr.end();
        }
        if (until != null) {
            return new Verdict(false, Duration.between(now, until));
        }
        counters.put("u:" + username, next(user, now));
        counters.put("a:" + address, next(addr, now));
        return Verdict.ALLOWED;
    }

    @Override
    public synchronized void succeeded(String username, String address, Instant now) {
        counters.remove("u:" + username);
        Window addr = live("a:" + address, now);
        if (addr != null && addr.count() > 0) {
            counters.put("a:" + address, new Window(addr.count() - 1, addr.end()));
        }
    }

    private Window live(String key, Instant now) {
        Window w = counters.get(key);
        return w == null || !now.isBefore(w.end()) ? null : w;
    }

    private Window next(Window current, Instant now) {
        return current == null ? new Window(1, now.plus(limits.window())) : new Window(current.count() + 1, current.end());
    }
}
