// Why: with several replicas the attempt counters must be shared, or an attacker spreads guesses over the fleet;
// login.lua checks and counts both subjects in one atomic round trip, at the caller's clock.
package dev.tollgate.login;

import dev.tollgate.limits.LimitStateUnavailable;
import dev.tollgate.storage.RedisScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Keys: {@code {login}:u:<username>} and {@code {login}:a:<address>}; see login.lua. Calls block (login runs off the event loop). */
public final class RedisLoginThrottle implements LoginThrottle {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final Limits limits;
    private final RedisScript script;

    /** Loads the script (blocking, once). */
    public RedisLoginThrottle(StatefulRedisConnection<String, String> connection, Limits limits) {
        this.limits = limits;
        this.script = new RedisScript(connection, "/lua/login.lua");
    }

    @Override
    public Verdict attempt(String username, String address, Instant now) {
        List<Object> reply = call("attempt", username, address, now);
        return ((Long) reply.get(0)) == 1L ? Verdict.ALLOWED : new Verdict(false, Duration.ofMillis((Long) reply.get(1)));
    }

    @Override
    public void succeeded(String username, String address, Instant now) {
        call("success", username, address, now);
    }

    private List<Object> call(String op, String username, String address, Instant now) {
        List<String> keys = List.of("{login}:u:" + username, "{login}:a:" + address);
        List<String> args = List.of(op, Long.toString(now.toEpochMilli()), Long.toString(limits.window().toMillis()),
                Integer.toString(limits.perUsername()), Integer.toString(limits.perAddress()));
        CompletionStage<List<Object>> reply = script.run(ScriptOutputType.MULTI, keys, args);
        try {
            return reply.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable();
        }
    }

    private static LimitStateUnavailable unavailable() {
        return new LimitStateUnavailable("Login attempts cannot be counted right now (limit state unreachable); try again shortly.");
    }
}
