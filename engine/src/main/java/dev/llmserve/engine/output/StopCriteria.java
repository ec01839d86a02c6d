package dev.llmserve.engine.output;

import java.util.List;
import java.util.Set;

/**
 * When one request's generation ends: after {@code maxTokens} generated tokens (the token that stops
 * it included), on any of {@code stopTokenIds}, on a stop string in the text, or on the model's EOS
 * unless {@code ignoreEos}. {@code ignoreEos} leaves stop token ids and stop strings in force, as in
 * vLLM.
 */
public record StopCriteria(int maxTokens, Set<Integer> stopTokenIds, List<String> stopStrings, boolean ignoreEos) {

    public StopCriteria {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
        }
        stopTokenIds = stopTokenIds == null ? Set.of() : Set.copyOf(stopTokenIds);
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        if (stopStrings.contains("")) {
            throw new IllegalArgumentException("stop strings must not be empty");
        }
    }

    /** Stop at EOS or after {@code maxTokens}, nothing else. */
    public static StopCriteria maxTokens(int maxTokens) {
        return new StopCriteria(maxTokens, Set.of(), List.of(), false);
    }
}
