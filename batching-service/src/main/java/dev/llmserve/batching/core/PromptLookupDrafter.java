package dev.llmserve.batching.core;

import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.PromptLookupProposer;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt-lookup (n-gram) drafting, no model: the continuation of the most recent earlier occurrence
 * of the sequence's longest suffix n-gram ({@code maxNgram} down to {@code minNgram} tokens) in its
 * own prompt and output. q is a point mass on each proposed token.
 */
public final class PromptLookupDrafter implements Drafter {

    private final int minNgram;
    private final int maxNgram;

    public PromptLookupDrafter(int minNgram, int maxNgram) {
        if (minNgram < 1 || maxNgram < minNgram) {
            throw new IllegalArgumentException("need 1 <= ngram-min <= ngram-max, got " + minNgram + " and " + maxNgram);
        }
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
    }

    @Override
    public List<DraftProposal> propose(List<ScheduledSequence> decodes) {
        List<DraftProposal> proposals = new ArrayList<>(decodes.size());
        for (ScheduledSequence s : decodes) {
            Sequence seq = s.sequence();
            int[] context = seq.tokens(0, seq.numTokens());
            proposals.add(new DraftProposal(seq.id(),
                    PromptLookupProposer.propose(context, minNgram, maxNgram, s.draftSlots()), null));
        }
        return proposals;
    }
}
