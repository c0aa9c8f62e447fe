// Why: ALLOWED_ORIGINS decides which web pages may call the admin API with the console's cookie; a typo (a path,
// a wildcard, a missing scheme) must stop start-up naming the variable instead of silently allowing nothing or
// everything.
package dev.tollgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the comma-separated exact origins of ALLOWED_ORIGINS into their canonical form. */
public final class AllowedOrigins {
    private static final Pattern ORIGIN = Pattern.compile(
            "(https?)://([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(:([0-9]{1,5}))?");

    private AllowedOrigins() {
    }

    /** The origins as browsers send them (lower case, no default port); empty for an empty value. */
    public static List<String> parse(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String canonical = canonical(entry);
            if (!out.contains(canonical)) {
                out.add(canonical);
            }
        }
        return List.copyOf(out);
    }

    /** The form a browser's Origin header has, e.g. {@code https://console.example.com:8443}. */
    public static String canonical(String origin) {
        Matcher m = ORIGIN.matcher(origin.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw bad("'" + origin + "' is not an origin like https://console.example.com or http://localhost:5173"
                    + " (scheme, host and optional port; no path, no wildcard)");
        }
        String scheme = m.group(1);
        String port = m.group(7);
        if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            throw bad("'" + origin + "' has a port outside 1-65535");
        }
        boolean defaultPort = port != null && (scheme.equals("http") && port.equals("80") || scheme.equals("https") && port.equals("443"));
        return scheme + "://" + m.group(2) + (port == null || defaultPort ? "" : ":" + port);
    }

    private static StartupException bad(String problem) {
        return StartupException.badVariable("ALLOWED_ORIGINS", problem);
    }
}
