// The fixed model catalog the mock serves, including the special failure-injection models.
package dev.tollgate.mock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

final class Models {
    /**
     * NORMAL; FAIL answers 500; SLOW_FAIL drops the connection mid-answer (a stream after two tokens, a whole
     * answer after half its declared length); GONE is listed but answers 404, as a model deleted after listing;
     * SILENT answers normally but reports no token counts (as some OpenAI-compatible servers do); STALL streams
     * {@link TokenStream#STALL_TOKENS} tokens (not streaming: half its declared answer), then produces nothing
     * more until the client leaves.
     */
    enum Behavior { NORMAL, FAIL, SLOW_FAIL, GONE, SILENT, STALL }

    record Model(String name, String family, String parameterSize, String quantization, long size,
                 String digest, boolean embedding, boolean loaded, Behavior behavior) {

        String detailsJson() {
            return "{\"parent_model\":\"\",\"format\":\"gguf\",\"family\":\"" + family + "\",\"families\":[\""
                    + family + "\"],\"parameter_size\":\"" + parameterSize + "\",\"quantization_level\":\""
                    + quantization + "\"}";
        }
    }

    /** Fixed "pulled at" time so listings are stable across runs. */
    static final Instant MODIFIED_AT = Instant.parse("2025-05-01T12:00:00Z");

    static final List<Model> ALL = List.of(
            model("llama3.2:latest", "llama", "3.2B", "Q4_K_M", 2_019_393_189L, false, true, Behavior.NORMAL),
            model("qwen2.5:0.5b", "qwen2", "494.03M", "Q4_K_M", 397_821_319L, false, false, Behavior.NORMAL),
            model("nomic-embed-text:latest", "nomic-bert", "137M", "F16", 274_302_450L, true, true, Behavior.NORMAL),
            model("mock-fail:latest", "llama", "1M", "Q4_K_M", 1_000_000L, false, false, Behavior.FAIL),
            model("mock-slow-fail:latest", "llama", "1M", "Q4_K_M", 1_000_000L, false, false, Behavior.SLOW_FAIL),
            model("mock-gone:latest", "llama", "1M", "Q4_K_M", 1_000_000L, false, false, Behavior.GONE),
            model("mock-silent:latest", "llama", "1M", "Q4_K_M", 1_000_000L, false, false, Behavior.SILENT),
            model("mock-stall:latest", "llama", "1M", "Q4_K_M", 1_000_000L, false, false, Behavior.STALL));

    private Models() {}

    private static Model model(String name, String family, String params, String quant, long size,
                               boolean embedding, boolean loaded, Behavior behavior) {
        return new Model(name, family, params, quant, size, sha256(name), embedding, loaded, behavior);
    }

    /** Ollama semantics: a name without a tag means ":latest". */
    static String normalize(String name) {
        int slash = name.lastIndexOf('/');
        return name.indexOf(':', slash + 1) >= 0 ? name : name + ":latest";
    }

    /** The fixed catalog plus the config's extra model, if any. */
    static List<Model> all(MockConfig config) {
        String extra = config.extraModel();
        if (extra == null) return ALL;
        List<Model> out = new ArrayList<>(ALL);
        out.add(model(extra, "llama", "1M", "Q4_K_M", 1_000_000L, false, false, Behavior.NORMAL));
        return out;
    }

    /** The model for a requested name, or null when unknown (a GONE model is unknown to model calls). */
    static Model find(MockConfig config, String requested) {
        if (requested == null || requested.isEmpty()) return null;
        String n = normalize(requested);
        for (Model m : all(config)) {
            if (m.name.equals(n)) return m.behavior() == Behavior.GONE ? null : m;
        }
        return null;
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
