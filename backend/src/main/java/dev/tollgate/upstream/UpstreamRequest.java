// Why: what the proxy asks an upstream to do, independent of the HTTP client used.
package dev.tollgate.upstream;

public record UpstreamRequest(String method, String path, byte[] body, String accept) {
    public static UpstreamRequest get(String path) {
        return new UpstreamRequest("GET", path, null, "application/json");
    }

    public static UpstreamRequest post(String path, byte[] body, String accept) {
        return new UpstreamRequest("POST", path, body, accept);
    }
}
