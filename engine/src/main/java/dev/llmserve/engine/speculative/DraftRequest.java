package dev.llmserve.engine.speculative;

import dev.llmserve.engine.sampling.SamplingRow;

/**
 * One sequence to draft for.
 *
 * @param tokens the tokens not yet in the draft's cache ({@link DraftCache}), ending with the last
 *     accepted token, at positions {@code startPosition..}; the whole context from 0 for a proposer
 *     that keeps no cache (prompt lookup)
 * @param blockTable the sequence's block table (the target's: same positions, the draft's own K/V);
 *     it must cover {@code startPosition + tokens.length + numTokens - 2}, the last draft written
 * @param sampling the row of the first proposed token (its output index, the history before it)
 * @param numTokens γ, at least 1
 * @param returnProbs whether to return q at each proposed token (needed from a draft model unless
 *     sampling is greedy; prompt lookup's q is a point mass)
 */
public record DraftRequest(long sequenceId, int[] tokens, int startPosition, int[] blockTable, SamplingRow sampling,
        int numTokens, boolean returnProbs) {

    public DraftRequest {
        if (tokens.length == 0) {
            throw new IllegalArgumentException(
                    "sequence " + sequenceId + ": a draft request needs the last accepted token");
        }
        if (numTokens < 1) {
            throw new IllegalArgumentException(
                    "sequence " + sequenceId + ": propose at least one token, got " + numTokens);
        }
        if (sampling == null) {
            throw new IllegalArgumentException(
                    "sequence " + sequenceId + ": a draft request needs sampling parameters");
        }
    }
}
