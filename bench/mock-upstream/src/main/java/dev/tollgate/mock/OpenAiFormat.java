// Ollama's OpenAI-compatibility wire format for /v1/chat/completions and /v1/completions (SSE when streaming).
package dev.tollgate.mock;

import java.util.function.Consumer;

enum OpenAiFormat implements WireFormat {
    CHAT("chat.completion", "chat.completion.chunk"),
    COMPLETION("text_completion", "text_completion");

    static final String JSON = "application/json";
    static final String SSE = "text/event-stream";
    static final String DONE = "data: [DONE]\n\n";

    private final String object;
    private final String chunkObject;

    OpenAiFormat(String object, String chunkObject) {
        this.object = object;
        this.chunkObject = chunkObject;
    }

    String idPrefix() {
        return this == CHAT ? "chatcmpl-" : "cmpl-";
    }

    @Override
    public CharSequence contentType(boolean stream) {
        return stream ? SSE : JSON;
    }

    @Override
    public CharSequence token(Generation g, int i) {
        StringBuilder sb = head(new StringBuilder(224).append("data: "), g, chunkObject);
        if (this == CHAT) {
            Generation.tokenJson(sb.append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"), i)
                    .append("},\"finish_reason\":null}]}\n\n");
        } else {
            Generation.tokenJson(sb.append("{\"text\":"), i).append(",\"index\":0,\"finish_reason\":null}]}\n\n");
        }
        return sb;
    }

    @Override
    public void end(Generation g, Consumer<CharSequence> out) {
        StringBuilder stop = head(new StringBuilder(224).append("data: "), g, chunkObject);
        if (this == CHAT) {
            stop.append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"stop\"}]}\n\n");
        } else {
            stop.append("{\"text\":\"\",\"index\":0,\"finish_reason\":\"stop\"}]}\n\n");
        }
        out.accept(stop);
        if (g.includeUsage && !g.silent) {
            StringBuilder usage = head(new StringBuilder(256).append("data: "), g, chunkObject);
            out.accept(usage(usage.append("],"), g).append("}\n\n"));
        }
        out.accept(DONE);
    }

    @Override
    public CharSequence full(Generation g) {
        StringBuilder sb = head(new StringBuilder(256), g, object);
        if (this == CHAT) {
            g.contentJson(sb.append("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"))
                    .append("},\"finish_reason\":\"stop\"}],");
        } else {
            g.contentJson(sb.append("{\"text\":")).append(",\"index\":0,\"finish_reason\":\"stop\"}],");
        }
        if (g.silent) {
            sb.setLength(sb.length() - 1); // the comma after "choices"
            return sb.append('}');
        }
        return usage(sb, g).append('}');
    }

    /** Appends everything up to and including the opening '[' of "choices". */
    private static StringBuilder head(StringBuilder sb, Generation g, String object) {
        return sb.append("{\"id\":").append(g.idJson).append(",\"object\":\"").append(object)
                .append("\",\"created\":").append(g.created).append(",\"model\":").append(g.modelJson)
                .append(",\"system_fingerprint\":\"fp_ollama\",\"choices\":[");
    }

    private static StringBuilder usage(StringBuilder sb, Generation g) {
        return sb.append("\"usage\":{\"prompt_tokens\":").append(g.promptTokens)
                .append(",\"completion_tokens\":").append(g.outputTokens)
                .append(",\"total_tokens\":").append(g.totalTokens()).append('}');
    }
}
