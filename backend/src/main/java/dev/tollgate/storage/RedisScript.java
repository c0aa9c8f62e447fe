// Why: every Redis script of the gateway (limits, login throttle) is loaded once and run with EVALSHA (one round
// trip, no script text on the wire); when Redis lost its script cache (restart, SCRIPT FLUSH) the answer NOSCRIPT
// loads it again and the call is retried once, so callers never see that.
package dev.tollgate.storage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A Lua script from the class path ({@code /lua/...}), loaded at construction (blocking: not on an event loop). */
public final class RedisScript {
    private final RedisAsyncCommands<String, String> redis;
    private final String source;
    private volatile String sha;

    public RedisScript(StatefulRedisConnection<String, String> connection, String resource) {
        this.redis = connection.async();
        this.source = read(resource);
        this.sha = connection.sync().scriptLoad(source);
    }

    public <T> CompletionStage<T> run(ScriptOutputType type, List<String> keys, List<String> args) {
        String[] keyArray = keys.toArray(String[]::new);
        String[] argArray = args.toArray(String[]::new);
        CompletionStage<T> first = redis.evalsha(sha, type, keyArray, argArray);
        return first.exceptionallyCompose(error -> {
            if (!isNoScript(error)) {
                return CompletableFuture.failedFuture(error);
            }
            return redis.scriptLoad(source).thenCompose(loaded -> {
                sha = loaded;
                return redis.<T>evalsha(loaded, type, keyArray, argArray);
            });
        });
    }

    private static boolean isNoScript(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e instanceof RedisNoScriptException
                || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
    }

    private static String read(String resource) {
        try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
