// Settings of the mock upstream. tokens/delayMs are volatile so tests and POST /_mock/config can
// retune a running server; port/host/threads only matter at start.
package dev.tollgate.mock;

public final class MockConfig {
    private volatile int port = 0;
    private volatile String host = "127.0.0.1";
    private volatile int threads = 0;
    private volatile int tokens = 20;
    private volatile long delayMs = 0;
    private volatile String extraModel;

    public int port() { return port; }
    public String host() { return host; }
    /** Worker event-loop threads; 0 = number of available processors. */
    public int threads() { return threads; }
    /** Output tokens per generation unless the request sets num_predict / max_tokens. */
    public int tokens() { return tokens; }
    /** Delay before each output token (streaming) or tokens*delay before the single answer. */
    public long delayMs() { return delayMs; }

    /** One more chat model this server lists and serves besides the fixed catalog, or null (tells mocks apart). */
    public String extraModel() { return extraModel; }

    public MockConfig port(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        this.port = port;
        return this;
    }

    public MockConfig host(String host) {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be blank");
        this.host = host;
        return this;
    }

    public MockConfig threads(int threads) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
        this.threads = threads;
        return this;
    }

    public MockConfig tokens(int tokens) {
        if (tokens < 0) throw new IllegalArgumentException("tokens must be >= 0");
        this.tokens = tokens;
        return this;
    }

    public MockConfig delayMs(long delayMs) {
        if (delayMs < 0) throw new IllegalArgumentException("delayMs must be >= 0");
        this.delayMs = delayMs;
        return this;
    }

    /** Also serve {@code name} (a tag-less name means ":latest") as a normal chat model; null: only the fixed catalog. */
    public MockConfig extraModel(String name) {
        if (name != null && (name.isBlank() || name.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20))) {
            throw new IllegalArgumentException("extra model name must be non-blank plain text: " + name);
        }
        this.extraModel = name == null ? null : Models.normalize(name);
        return this;
    }

    String toJson() {
        return "{\"tokens\":" + tokens + ",\"delay_ms\":" + delayMs + "}";
    }

    @Override
    public String toString() {
        return "MockConfig{host=" + host + ", port=" + port + ", threads=" + threads
                + ", tokens=" + tokens + ", delayMs=" + delayMs + ", extraModel=" + extraModel + "}";
    }
}
