package dev.llmserve.engine.step;

/** What a sequence wants back from a step. */
public enum OutputMode {
    /** Nothing: a prompt chunk that does not yet reach the end of the prompt. */
    NONE,
    /** The next token sampled after the last new position. */
    SAMPLE,
    /** The logits at every new position (scoring, tests). */
    ALL_LOGITS,
    /**
     * A draft model's proposal: the next token, sampled as {@link #SAMPLE} does, and the processed
     * distribution q it was drawn from (a point mass for greedy rows).
     */
    PROPOSE,
    /**
     * Speculative verification: tokens are [last accepted token, d1 .. dγ]; every position is scored
     * and the rejection rule (see {@link dev.llmserve.engine.speculative.RejectionSampler}) returns
     * the accepted prefix of the drafts and one token from the target.
     */
    VERIFY;

    /** How many of a sequence's new positions go through the LM head. */
    public int logitRows(int newTokens) {
        return switch (this) {
            case NONE -> 0;
            case SAMPLE, PROPOSE -> 1;
            case ALL_LOGITS, VERIFY -> newTokens;
        };
    }

    /** Whether the mode needs the request's sampling parameters. */
    public boolean samples() {
        return this == SAMPLE || this == PROPOSE || this == VERIFY;
    }
}
