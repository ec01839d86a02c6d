package dev.llmserve.engine.speculative;

import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceStep;

/**
 * The {@link OutputMode#VERIFY} step as every loop that drives one builds and reads it (the serving
 * engine, the benchmark's decode loop): the sequence's last token followed by the drafts, and back
 * the accepted drafts followed by one token from the target.
 */
public final class Verification {

    private Verification() {}

    /**
     * The step that verifies {@code proposal} after the sequence's last token.
     *
     * @param startPosition the position of {@code lastToken} (everything before it is in the cache)
     * @param sampling the row of the first draft token
     */
    public static SequenceStep step(long sequenceId, int lastToken, int startPosition, int[] blockTable,
            SamplingRow sampling, DraftProposal proposal) {
        int[] tokens = new int[1 + proposal.tokens().length];
        tokens[0] = lastToken;
        System.arraycopy(proposal.tokens(), 0, tokens, 1, proposal.tokens().length);
        return new SequenceStep(sequenceId, tokens, startPosition, blockTable, OutputMode.VERIFY, sampling,
                proposal.probs());
    }

    /** The most drafts for a sequence that may add {@code tokensLeft} tokens: a verification emits up to γ + 1. */
    public static int maxDrafts(int tokensLeft) {
        return tokensLeft - 1;
    }

    /** How many drafts a verification accepted, from what it emitted: the last token is always the target's own. */
    public static int acceptedDrafts(int[] emitted) {
        return emitted.length - 1;
    }
}
