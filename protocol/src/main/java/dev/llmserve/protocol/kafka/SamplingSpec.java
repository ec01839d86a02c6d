package dev.llmserve.protocol.kafka;

import java.util.Map;

/**
 * A request's sampling parameters, with OpenAI/vLLM meanings (temperature 0 = greedy, logprobs -1 = none).
 * The seed is not one of them: it travels beside them, in {@link GenerationRequest#seed()}.
 */
public record SamplingSpec(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repetitionPenalty,
        float presencePenalty,
        float frequencyPenalty,
        Map<Integer, Float> logitBias,
        int logprobs) {

    public SamplingSpec {
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
    }
}
