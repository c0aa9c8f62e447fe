// Ollama's native /api/chat and /api/generate wire format (NDJSON when streaming), field order as Ollama 0.6+.
package dev.tollgate.mock;

import java.time.Instant;
import java.util.function.Consumer;

enum OllamaFormat implements WireFormat {
    CHAT, GENERATE;

    static final String JSON = "application/json; charset=utf-8";
    static final String NDJSON = "application/x-ndjson";

    @Override
    public CharSequence contentType(boolean stream) {
        return stream ? NDJSON : JSON;
    }

    @Override
    public CharSequence token(Generation g, int i) {
        StringBuilder sb = head(g);
        if (this == CHAT) {
            Generation.tokenJson(sb.append("\"message\":{\"role\":\"assistant\",\"content\":"), i).append("},");
        } else {
            Generation.tokenJson(sb.append("\"response\":"), i).append(',');
        }
        return sb.append("\"done\":false}\n");
    }

    @Override
    public void end(Generation g, Consumer<CharSequence> out) {
        out.accept(done(g, false).append('\n'));
    }

    @Override
    public CharSequence full(Generation g) {
        return done(g, true);
    }

    private StringBuilder head(Generation g) {
        return new StringBuilder(192).append("{\"model\":").append(g.modelJson)
                .append(",\"created_at\":\"").append(Instant.now()).append("\",");
    }

    private StringBuilder done(Generation g, boolean withContent) {
        StringBuilder sb = head(g);
        if (this == CHAT) {
            sb.append("\"message\":{\"role\":\"assistant\",\"content\":");
            if (withContent) g.contentJson(sb); else sb.append("\"\"");
            sb.append("},\"done_reason\":\"stop\",\"done\":true");
        } else {
            sb.append("\"response\":");
            if (withContent) g.contentJson(sb); else sb.append("\"\"");
            sb.append(",\"done\":true,\"done_reason\":\"stop\",\"context\":[1,2,3]");
        }
        return g.silent ? sb.append('}') : metrics(sb, g).append('}');
    }

    private static StringBuilder metrics(StringBuilder sb, Generation g) {
        long eval = Math.max(1, System.nanoTime() - g.startNanos);
        long load = 1_000_000L;
        long promptEval = 50_000L * g.promptTokens;
        return sb.append(",\"total_duration\":").append(load + promptEval + eval)
                .append(",\"load_duration\":").append(load)
                .append(",\"prompt_eval_count\":").append(g.promptTokens)
                .append(",\"prompt_eval_duration\":").append(promptEval)
                .append(",\"eval_count\":").append(g.outputTokens)
                .append(",\"eval_duration\":").append(eval);
    }
}
