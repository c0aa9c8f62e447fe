// Why: an upstream as the proxy uses it: where to send, which dialects it speaks, which key to present.
package dev.tollgate.upstream;

import java.net.URI;

public record Upstream(String id, String name, Kind kind, URI baseUrl, String apiKey) {
    public enum Kind { OLLAMA, OPENAI }

    static Upstream of(UpstreamRow row) {
        String base = row.baseUrl().endsWith("/") ? row.baseUrl().substring(0, row.baseUrl().length() - 1) : row.baseUrl();
        return new Upstream(row.id(), row.name(), Kind.valueOf(row.kind().toUpperCase()), URI.create(base), row.apiKey());
    }

    /** The absolute URL of {@code path} ("/api/chat") on this upstream. */
    public String url(String path) {
        return baseUrl + path;
    }
}
