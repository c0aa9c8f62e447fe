// Why: what an upstream reported a call cost, in tokens, as the limit engine settles it: one value type for
// every dialect (Ollama's prompt_eval_count/eval_count, OpenAI's usage.prompt_tokens/completion_tokens).
package dev.tollgate.usage;

public record Usage(long promptTokens, long completionTokens) {
    public Usage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    public long total() {
        return promptTokens + completionTokens;
    }
}
