package dev.llmserve.engine.speculative;

/**
 * What a draft proposed for one sequence.
 *
 * @param tokens the proposed tokens d1..dγ, in order
 * @param probs [γ][vocab] the processed distribution each was drawn from; null unless asked for
 */
public record DraftProposal(long sequenceId, int[] tokens, float[][] probs) {}
