package dev.llmserve.engine.speculative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prompt-lookup (n-gram) drafting, which needs no draft model: the continuation of the most recent
 * earlier occurrence of the sequence's last n tokens, trying the longest n first. Text that quotes
 * or repeats its prompt (summaries, code edits, extraction) drafts well this way. Its q is a point
 * mass on each proposed token.
 */
public final class PromptLookupProposer implements Proposer {

    private final int minNgram;
    private final int maxNgram;

    public PromptLookupProposer(int minNgram, int maxNgram) {
        if (minNgram < 1 || maxNgram < minNgram) {
            throw new IllegalArgumentException("need 1 <= ngram-min <= ngram-max, got " + minNgram + " and "
                    + maxNgram);
        }
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
    }

    @Override
    public boolean isDraftModel() {
        return false;
    }

    /** Each request's tokens are its whole context (it keeps no cache); q is left null, a point mass. */
    @Override
    public List<DraftProposal> propose(List<DraftRequest> requests) {
        List<DraftProposal> proposals = new ArrayList<>(requests.size());
        for (DraftRequest r : requests) {
            proposals.add(new DraftProposal(r.sequenceId(), lookup(r.tokens(), minNgram, maxNgram, r.numTokens()),
                    null));
        }
        return proposals;
    }

    /**
     * @param context the sequence so far (prompt and output)
     * @return up to {@code numTokens} tokens that followed the match; empty when no n-gram of length
     *     minNgram..maxNgram ending the context occurs earlier in it
     */
    public static int[] lookup(int[] context, int minNgram, int maxNgram, int numTokens) {
        if (minNgram < 1 || maxNgram < minNgram || numTokens < 0) {
            throw new IllegalArgumentException("need 1 <= minNgram <= maxNgram and numTokens >= 0, got " + minNgram
                    + ", " + maxNgram + ", " + numTokens);
        }
        int length = context.length;
        for (int n = Math.min(maxNgram, length - 1); n >= minNgram; n--) {
            int suffix = length - n;
            // Latest start first; a match starting before the suffix has at least one token after it.
            for (int start = suffix - 1; start >= 0; start--) {
                if (Arrays.equals(context, start, start + n, context, suffix, length)) {
                    int from = start + n;
                    return Arrays.copyOfRange(context, from, Math.min(length, from + numTokens));
                }
            }
        }
        return new int[0];
    }
}
