package dev.llmserve.engine.step;

import dev.llmserve.engine.sampling.SamplingRow;

/**
 * One sequence's part of a step: its new tokens (a prompt chunk, one decode token, or a token and
 * drafts to verify) starting at {@code startPosition}, and the block table that maps its positions
 * to KV slots. The block table must cover positions up to {@code startPosition + tokens.length - 1};
 * everything before {@code startPosition} must already be in the cache.
 *
 * @param sampling required for {@link OutputMode#SAMPLE}, {@link OutputMode#PROPOSE} and
 *     {@link OutputMode#VERIFY}, ignored otherwise. For VERIFY it is the row of the first draft token
 *     d1 (its output index, and the history before it); the engine extends both per position.
 * @param draftProbs {@link OutputMode#VERIFY} only: the draft's distribution q at each draft position,
 *     [tokens.length - 1][vocab]; null when q is a point mass on each draft token (greedy drafts,
 *     prompt lookup)
 */
public record SequenceStep(long sequenceId, int[] tokens, int startPosition, int[] blockTable, OutputMode output,
        SamplingRow sampling, float[][] draftProbs) {

    public SequenceStep {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": a step needs at least one token");
        }
        if (startPosition < 0) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": negative start position");
        }
        if (output.samples() && sampling == null) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": " + output + " needs sampling parameters");
        }
        if (draftProbs != null && output != OutputMode.VERIFY) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": draft probabilities belong to VERIFY");
        }
        if (draftProbs != null && draftProbs.length != tokens.length - 1) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": " + (tokens.length - 1)
                    + " draft tokens need as many draft distributions, got " + draftProbs.length);
        }
    }

    public SequenceStep(long sequenceId, int[] tokens, int startPosition, int[] blockTable, OutputMode output,
            SamplingRow sampling) {
        this(sequenceId, tokens, startPosition, blockTable, output, sampling, null);
    }

    public int contextLength() {
        return startPosition + tokens.length;
    }

    /** VERIFY: the number γ of draft tokens after the last accepted one. */
    public int draftCount() {
        return tokens.length - 1;
    }
}
