package dev.llmserve.batching.core;

import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Drafts with a draft model, keeping track of what its KV cache holds for each sequence. A request
 * carries the tokens the draft has not run yet (from {@link Speculation#draftCachedTokens()} up to
 * and including the last accepted token: the whole context the first time, one or two tokens in a
 * steady run) at the same positions and block table as the target. Drafting γ tokens runs the draft
 * over d1 … dγ−1 as well, so afterwards its cache holds numTokens + γ − 1 tokens; the engine cuts
 * that back to what the target accepted after the verification.
 */
public final class DraftModelDrafter implements Drafter {

    private final DraftModel model;

    public DraftModelDrafter(DraftModel model) {
        this.model = model;
    }

    @Override
    public List<DraftProposal> propose(List<ScheduledSequence> decodes) {
        List<DraftRequest> requests = new ArrayList<>(decodes.size());
        for (ScheduledSequence s : decodes) {
            Sequence seq = s.sequence();
            int cached = seq.speculation().draftCachedTokens();
            // q travels only where it is more than a point mass on the drafted token
            requests.add(new DraftRequest(seq.id(), seq.tokens(cached, seq.numTokens()), cached,
                    seq.blockTableArray(), seq.samplingRow(), s.draftSlots(), !seq.sampling().greedy()));
        }
        List<DraftProposal> proposals = model.propose(requests);
        if (proposals.size() != requests.size()) {
            throw new IllegalStateException("the draft model answered " + proposals.size() + " proposals for "
                    + requests.size() + " sequences");
        }
        for (int i = 0; i < proposals.size(); i++) {
            DraftRequest request = requests.get(i);
            DraftProposal proposal = proposals.get(i);
            // all checked before any bookkeeping changes: a bad answer leaves every sequence as it was
            if (proposal.sequenceId() != request.sequenceId() || proposal.tokens().length != request.numTokens()
                    || (request.returnProbs() && proposal.probs() == null)
                    || (proposal.probs() != null && proposal.probs().length != proposal.tokens().length)) {
                throw new IllegalStateException("the draft model's proposal " + i + " does not answer sequence "
                        + request.sequenceId() + " with " + request.numTokens() + " tokens");
            }
        }
        for (int i = 0; i < proposals.size(); i++) {
            Sequence seq = decodes.get(i).sequence();
            seq.speculation().drafted(seq.numTokens() + requests.get(i).numTokens() - 1);
        }
        return proposals;
    }
}
