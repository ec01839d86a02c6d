package dev.llmserve.batching.core;

/**
 * One sequence's share of a step: its next {@code numTokens} uncomputed tokens. {@code samples} is
 * true when they reach the sequence's end, so the step samples its next token; a prompt chunk that
 * stops short of the end only fills the KV cache. {@code draftSlots} (γ) is how many draft tokens a
 * speculating decode may verify after its last token: their blocks are reserved and their share of
 * the token budget counted; 0 for a plain step.
 */
public record ScheduledSequence(Sequence sequence, int numTokens, boolean samples, int draftSlots) {

    static ScheduledSequence of(Sequence seq, int numTokens) {
        return new ScheduledSequence(seq, numTokens, numTokens == seq.numUncomputedTokens(), 0);
    }

    /** This decode with γ draft slots. */
    ScheduledSequence withDraftSlots(int gamma) {
        return new ScheduledSequence(sequence, numTokens, samples, gamma);
    }
}
