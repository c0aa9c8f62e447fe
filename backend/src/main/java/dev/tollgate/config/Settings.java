// Why: every environment variable of the contract is read and checked in one place before anything starts,
// so bad configuration stops start-up with one line naming the variable.
package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The validated process configuration, parsed from the environment. */
public record Settings(
        String host,
        int port,
        String adminHost,
        int adminPort,
        Path dataDir,
        DatabaseUrl database,
        URI redisUrl,
        URI ollamaUrl,
        String adminPassword,
        ZoneId timezone,
        FailMode failMode,
        List<String> allowedOrigins,
        long maxBodyBytes,
        String secret,
        URI alertWebhookUrl,
        long defaultMaxTokens,
        long adminMaxBodyBytes,
        int eventLoops) {

    public enum FailMode { CLOSED, OPEN }

    static final int MAX_EVENT_LOOPS = 1024;

    public boolean embedded() {
        return database == null;
    }

    public static Settings fromEnvironment(Map<String, String> env) {
        String host = text(env, "TOLLGATE_HOST", "0.0.0.0");
        int port = port(env, "TOLLGATE_PORT", 8080);
        String adminHost = text(env, "TOLLGATE_ADMIN_HOST", "127.0.0.1");
        int adminPort = port(env, "TOLLGATE_ADMIN_PORT", 8081);
        if (port == adminPort && port != 0) {
            throw StartupException.badVariable("TOLLGATE_ADMIN_PORT", "must differ from TOLLGATE_PORT (both are " + port + ")");
        }
        Path dataDir = Path.of(text(env, "TOLLGATE_DATA_DIR", "./data")).toAbsolutePath().normalize();
        String dbRaw = blankToNull(env.get("DATABASE_URL"));
        DatabaseUrl database = dbRaw == null ? null : DatabaseUrl.parse(dbRaw);
        String redisRaw = blankToNull(env.get("REDIS_URL"));
        URI redis = redisRaw == null ? null : url(redisRaw, "REDIS_URL", "redis", "rediss");
        URI ollama = url(text(env, "OLLAMA_URL", "http://localhost:11434"), "OLLAMA_URL", "http", "https");
        ZoneId zone;
        String tz = text(env, "TOLLGATE_TIMEZONE", "UTC");
        try {
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw StartupException.badVariable("TOLLGATE_TIMEZONE", "is not a known time zone (got '" + tz + "', e.g. Europe/Berlin)");
        }
        String failRaw = text(env, "TOLLGATE_FAIL_MODE", "closed");
        FailMode failMode = switch (failRaw.toLowerCase()) {
            case "closed" -> FailMode.CLOSED;
            case "open" -> FailMode.OPEN;
            default -> throw StartupException.badVariable("TOLLGATE_FAIL_MODE", "must be 'closed' or 'open' (got '" + failRaw + "')");
        };
        List<String> origins = AllowedOrigins.parse(text(env, "ALLOWED_ORIGINS", ""));
        long maxBody = positiveLong(env, "TOLLGATE_MAX_BODY_BYTES", 10L * 1024 * 1024, "bytes");
        long adminMaxBody = positiveLong(env, "TOLLGATE_ADMIN_MAX_BODY_BYTES", Math.min(1024 * 1024, maxBody), "bytes");
        if (adminMaxBody > maxBody) {
            throw StartupException.badVariable("TOLLGATE_ADMIN_MAX_BODY_BYTES", "must not exceed TOLLGATE_MAX_BODY_BYTES ("
                    + maxBody + "), the limit of the whole server (got '" + adminMaxBody + "')");
        }
        String password = blankToNull(env.get("TOLLGATE_ADMIN_PASSWORD"));
        if (password != null && password.length() < 8) {
            throw StartupException.badVariable("TOLLGATE_ADMIN_PASSWORD", "must have at least 8 characters");
        }
        String secret = blankToNull(env.get("TOLLGATE_SECRET"));
        if (secret != null && secret.length() < 32) {
            throw StartupException.badVariable("TOLLGATE_SECRET", "must have at least 32 characters");
        }
        String webhookRaw = blankToNull(env.get("TOLLGATE_ALERT_WEBHOOK_URL"));
        URI webhook = webhookRaw == null ? null : url(webhookRaw, "TOLLGATE_ALERT_WEBHOOK_URL", "http", "https");
        long defaultMaxTokens = positiveLong(env, "TOLLGATE_DEFAULT_MAX_TOKENS", 4096, "tokens");
        // one event loop per CPU: every call is non-blocking on its loop (blocking work has its own pool), so more
        // loops than CPUs only add context switches; Netty's own default is twice as many
        long loops = positiveLong(env, "TOLLGATE_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), "threads");
        if (loops > MAX_EVENT_LOOPS) {
            throw StartupException.badVariable("TOLLGATE_EVENT_LOOPS", "must be at most " + MAX_EVENT_LOOPS + " (got '" + loops + "')");
        }
        return new Settings(host, port, adminHost, adminPort, dataDir, database, redis, ollama, password, zone,
                failMode, origins, maxBody, secret, webhook, defaultMaxTokens, adminMaxBody, (int) loops);
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String v = blankToNull(env.get(name));
        return v == null ? fallback : v.trim();
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String v = blankToNull(env.get(name));
        if (v == null) {
            return fallback;
        }
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw StartupException.badVariable(name, "must be a port number 0-65535 (got '" + v + "')");
        }
    }

    private static long positiveLong(Map<String, String> env, String name, long fallback, String unit) {
        String v = blankToNull(env.get(name));
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw StartupException.badVariable(name, "must be a positive whole number of " + unit + " (got '" + v + "')");
        }
    }

    private static URI url(String raw, String name, String... schemes) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (Exception e) {
            throw StartupException.badVariable(name, "is not a valid URL (got '" + DatabaseUrl.redact(raw) + "')");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!Arrays.asList(schemes).contains(scheme) || uri.getHost() == null) {
            throw StartupException.badVariable(name, "must be a " + String.join(" or ", schemes)
                    + ":// URL with a host (got '" + DatabaseUrl.redact(raw) + "')");
        }
        return uri;
    }
}
