// Why: the model-calling endpoints of both dialects differ in what the gateway must know to meter them: where they
// go upstream, which dialect's error shape and usage format they use, whether they generate output (and so need an
// output reservation) and whether they stream unless told otherwise.
package dev.tollgate.proxy;

public enum ModelCall {
    OLLAMA_CHAT("/api/chat", Dialect.OLLAMA, true, true),
    OLLAMA_GENERATE("/api/generate", Dialect.OLLAMA, true, true),
    OLLAMA_EMBED("/api/embed", Dialect.OLLAMA, false, false),
    OLLAMA_EMBEDDINGS("/api/embeddings", Dialect.OLLAMA, false, false),
    OPENAI_CHAT("/v1/chat/completions", Dialect.OPENAI, true, false),
    OPENAI_COMPLETIONS("/v1/completions", Dialect.OPENAI, true, false),
    OPENAI_EMBEDDINGS("/v1/embeddings", Dialect.OPENAI, false, false);

    private final String path;
    private final Dialect dialect;
    private final boolean generates;
    private final boolean streamsByDefault;

    ModelCall(String path, Dialect dialect, boolean generates, boolean streamsByDefault) {
        this.path = path;
        this.dialect = dialect;
        this.generates = generates;
        this.streamsByDefault = streamsByDefault;
    }

    public String path() {
        return path;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** True for calls that produce output tokens (chat, generate, completions); false for embeddings. */
    public boolean generates() {
        return generates;
    }

    /** Whether a request with this body streams its answer. */
    public boolean streams(Boolean requested) {
        return generates && (requested == null ? streamsByDefault : requested);
    }
}
