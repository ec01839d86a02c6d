package dev.llmserve.batching.core;

/**
 * One sequence's share of a step: its next {@code numTokens} uncomputed tokens. {@code samples} is
 * true when they reach the sequence's end, so the step samples its next token; a prompt chunk that
 * stops short of the end only fills the KV cache.
 */
public record ScheduledSequence(Sequence sequence, int numTokens, boolean samples) {

    static ScheduledSequence of(Sequence seq, int numTokens) {
        return new ScheduledSequence(seq, numTokens, numTokens == seq.numUncomputedTokens());
    }
}
