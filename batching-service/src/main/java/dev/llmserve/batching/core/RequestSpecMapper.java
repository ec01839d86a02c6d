package dev.llmserve.batching.core;

import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.protocol.kafka.SamplingSpec;
import dev.llmserve.protocol.kafka.StopSpec;
import java.util.HashSet;

/**
 * The Kafka request's settings to the engine's records: the one place a {@link SamplingSpec} becomes
 * {@link SamplingParams}. The engine's constructors check the values and throw
 * {@link IllegalArgumentException} for one out of range. The seed is not part of either: the request
 * carries it beside them, and so does the {@link Sequence}.
 */
final class RequestSpecMapper {

    private RequestSpecMapper() {}

    static SamplingParams samplingParams(SamplingSpec s) {
        return new SamplingParams(s.temperature(), s.topK(), s.topP(), s.minP(), s.repetitionPenalty(),
                s.presencePenalty(), s.frequencyPenalty(), s.logitBias(), s.logprobs());
    }

    /** @param maxTokens the request's limit, already capped at what the context leaves */
    static StopCriteria stopCriteria(StopSpec stop, int maxTokens) {
        return new StopCriteria(maxTokens, new HashSet<>(stop.stopTokenIds()), stop.stopStrings(), stop.ignoreEos());
    }
}
