// Why: the rules of an upstream's fields in one place, so create and PATCH refuse the same mistakes with a 400
// naming the field: a name, a kind the proxy speaks, a plain absolute http(s) base URL, an optional key, a weight.
package dev.tollgate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.web.FieldError;
import dev.tollgate.web.JsonFields;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

final class UpstreamFields {
    static final Set<String> NAMES = Set.of("name", "kind", "base_url", "api_key", "weight", "enabled");
    static final Set<String> KINDS = Set.of("ollama", "openai");
    static final int MAX_WEIGHT = 1000;
    private static final int MAX_URL = 2048;
    private static final int MAX_KEY = 4096;

    private UpstreamFields() {
    }

    static String name(JsonFields f) {
        return f.text("name", 1, 100);
    }

    static String kind(JsonFields f) {
        String kind = f.text("kind", 1, 20);
        if (!KINDS.contains(kind)) {
            throw new FieldError("kind", "must be ollama or openai");
        }
        return kind;
    }

    /** An absolute http(s) URL with a host and neither user-info, query nor fragment. */
    static String baseUrl(JsonFields f) {
        String url = f.text("base_url", 1, MAX_URL);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new FieldError("base_url", "must be an absolute http(s) URL, e.g. http://ollama:11434");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw new FieldError("base_url", "must be an absolute http(s) URL, e.g. http://ollama:11434");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new FieldError("base_url", "must not contain user info, a query or a fragment (give a key as api_key)");
        }
        if (uri.getPort() > 65535) {
            throw new FieldError("base_url", "has a port out of range");
        }
        return url;
    }

    /** The key as given, or null when the member is null (no key). */
    static String apiKey(JsonFields f) {
        JsonNode v = f.raw("api_key");
        return v == null || v.isNull() ? null : f.text("api_key", 1, MAX_KEY);
    }

    static int weight(JsonFields f) {
        JsonNode v = f.raw("weight");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > MAX_WEIGHT) {
            throw new FieldError("weight", "must be a whole number from 1 to " + MAX_WEIGHT);
        }
        return v.asInt();
    }
}
