package dev.llmserve.engine.step;

import dev.llmserve.engine.sampling.SampledToken;

/**
 * What a step produced for one sequence.
 *
 * @param sampled the next token, for {@link OutputMode#SAMPLE} and {@link OutputMode#PROPOSE};
 *     otherwise null
 * @param logits [tokens][vocab] raw logits at each new position, for {@link OutputMode#ALL_LOGITS};
 *     otherwise null
 * @param acceptedTokens for {@link OutputMode#VERIFY}: the accepted prefix of the draft tokens, then
 *     one token from the target (the replacement of the first rejected draft, or a bonus token when
 *     all were accepted), in output order; otherwise null
 * @param probabilities for {@link OutputMode#PROPOSE}: [vocab] the processed distribution q the token
 *     was drawn from; otherwise null
 */
public record SequenceResult(
        long sequenceId, SampledToken sampled, float[][] logits, int[] acceptedTokens, float[] probabilities) {

    public SequenceResult(long sequenceId, SampledToken sampled, float[][] logits) {
        this(sequenceId, sampled, logits, null, null);
    }
}
