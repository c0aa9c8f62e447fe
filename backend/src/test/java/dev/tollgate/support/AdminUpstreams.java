// Why: tests that change an upstream act on one of their own; a disabled one pointing nowhere is never routed to,
// so creating, changing or deleting it cannot disturb the proxy tests sharing the gateway.
package dev.tollgate.support;

import java.net.http.HttpResponse;

public final class AdminUpstreams {
    /** A port nothing listens on (discard), for upstreams that must never be reached. */
    public static final String NOWHERE = "http://127.0.0.1:9";

    private AdminUpstreams() {
    }

    /** Creates a disabled upstream named {@code prefix-<unique>} at {@link #NOWHERE}; answers its id. */
    public static String createDisabled(TestGateway gateway, String prefix) {
        HttpResponse<String> r = gateway.admin("POST", "/upstreams", "{\"name\":\"" + prefix + "-" + System.nanoTime()
                + "\",\"kind\":\"ollama\",\"base_url\":\"" + NOWHERE + "\",\"enabled\":false}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upstream creation failed: " + r.body());
        }
        return TestGateway.json(r.body()).path("id").asText();
    }
}
