package dev.llmserve.engine.step;

import dev.llmserve.engine.sampling.SamplingRow;

/**
 * One sequence's part of a step: its new tokens (a prompt chunk, one decode token, or several to
 * verify) starting at {@code startPosition}, and the block table that maps its positions to KV
 * slots. The block table must cover positions up to {@code startPosition + tokens.length - 1};
 * everything before {@code startPosition} must already be in the cache.
 *
 * @param sampling required for {@link OutputMode#SAMPLE}, ignored otherwise
 */
public record SequenceStep(
        long sequenceId, int[] tokens, int startPosition, int[] blockTable, OutputMode output, SamplingRow sampling) {

    public SequenceStep {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": a step needs at least one token");
        }
        if (startPosition < 0) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": negative start position");
        }
        if (output == OutputMode.SAMPLE && sampling == null) {
            throw new IllegalArgumentException("sequence " + sequenceId + ": SAMPLE needs sampling parameters");
        }
    }

    public int contextLength() {
        return startPosition + tokens.length;
    }
}
