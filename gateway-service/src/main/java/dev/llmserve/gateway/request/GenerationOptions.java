package dev.llmserve.gateway.request;

import java.util.List;
import java.util.Map;

/**
 * The validated generation parameters common to chat and text completions. A null field was not
 * given and takes the model's default.
 *
 * @param maxTokens null: the rest of the context
 * @param topK 0 disables it (the API's -1 is normalised to 0)
 * @param logprobs the number of alternatives per token to report; 0 only the chosen token's, -1 none
 * @param ignoreEos extension (vLLM's): keep generating past the model's end-of-sequence token
 * @param speculative extension: false decodes without speculative decoding; null leaves it to the
 *     deployment
 */
public record GenerationOptions(
        Integer maxTokens,
        Float temperature,
        Float topP,
        Integer topK,
        Float minP,
        Float presencePenalty,
        Float frequencyPenalty,
        Float repetitionPenalty,
        Long seed,
        List<String> stop,
        Map<Integer, Float> logitBias,
        int logprobs,
        boolean ignoreEos,
        Boolean speculative,
        boolean stream,
        boolean includeUsage) {

    public GenerationOptions {
        stop = List.copyOf(stop);
        logitBias = Map.copyOf(logitBias);
    }
}
