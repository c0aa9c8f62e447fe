// Why: operators paste DATABASE_URL in the libpq/Heroku form or as a JDBC URL; both must work.
package dev.tollgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A Postgres connection target parsed from {@code postgres://user:pass@host:port/db} or {@code jdbc:postgresql:...}. */
public record DatabaseUrl(String jdbcUrl, String username, String password) {

    public static DatabaseUrl parse(String raw) {
        String value = raw.trim();
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(value, null, null);
        }
        if (!(value.startsWith("postgres://") || value.startsWith("postgresql://"))) {
            throw StartupException.badVariable("DATABASE_URL",
                    "must start with postgres://, postgresql:// or jdbc:postgresql: (got '" + redact(value) + "')");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw StartupException.badVariable("DATABASE_URL", "is not a valid URL (" + e.getReason() + ")");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw StartupException.badVariable("DATABASE_URL", "has no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isBlank()) {
            throw StartupException.badVariable("DATABASE_URL", "names no database (expected postgres://user:pass@host:5432/db)");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost()).append(':').append(port)
                .append('/').append(database);
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Hides a password before a URL is echoed into a log line. */
    static String redact(String url) {
        return url.replaceAll("://([^:/@]*):[^@]*@", "://$1:***@");
    }
}
