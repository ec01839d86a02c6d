package dev.llmserve.engine.step;

import dev.llmserve.engine.sampling.SampledToken;

/**
 * What a step produced for one sequence.
 *
 * @param sampled the next token, for {@link OutputMode#SAMPLE}; otherwise null
 * @param logits [tokens][vocab] raw logits at each new position, for {@link OutputMode#ALL_LOGITS};
 *     otherwise null
 */
public record SequenceResult(long sequenceId, SampledToken sampled, float[][] logits) {}
