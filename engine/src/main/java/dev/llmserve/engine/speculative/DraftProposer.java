package dev.llmserve.engine.speculative;

import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a draft model for γ batched steps: the first carries each sequence's catch-up tokens (those
 * not yet in the draft's cache), then one token per step, each sampled as the target would sample
 * (same parameters, seed and output index; the penalty history grows with the drafts). Sequences
 * may ask for different γ: a sequence leaves the batch once it has its tokens. The last draft is
 * never written to the draft's cache; the next request's catch-up tokens start where it would be.
 */
public final class DraftProposer implements Proposer {

    private final ModelRunner draft;

    public DraftProposer(ModelRunner draft) {
        this.draft = draft;
    }

    @Override
    public boolean isDraftModel() {
        return true;
    }

    @Override
    public List<DraftProposal> propose(List<DraftRequest> requests) {
        int n = requests.size();
        int[][] tokens = new int[n][];
        float[][][] probs = new float[n][][];
        int longest = 0;
        for (int r = 0; r < n; r++) {
            DraftRequest request = requests.get(r);
            tokens[r] = new int[request.numTokens()];
            probs[r] = request.returnProbs() ? new float[request.numTokens()][] : null;
            longest = Math.max(longest, request.numTokens());
        }
        for (int k = 0; k < longest; k++) {
            List<SequenceStep> steps = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                DraftRequest request = requests.get(r);
                if (k < request.numTokens()) {
                    steps.add(step(request, tokens[r], k));
                    owners.add(r);
                }
            }
            List<SequenceResult> results = draft.step(steps);
            for (int i = 0; i < owners.size(); i++) {
                int r = owners.get(i);
                tokens[r][k] = results.get(i).sampled().tokenId();
                if (probs[r] != null) {
                    probs[r][k] = results.get(i).probabilities();
                }
            }
        }
        List<DraftProposal> proposals = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            proposals.add(new DraftProposal(requests.get(r).sequenceId(), tokens[r], probs[r]));
        }
        return proposals;
    }

    /** Draft step k of a request: its catch-up tokens first, then the draft proposed at step k - 1. */
    private static SequenceStep step(DraftRequest request, int[] proposed, int k) {
        int[] input = k == 0 ? request.tokens() : new int[] {proposed[k - 1]};
        int start = k == 0 ? request.startPosition() : request.startPosition() + request.tokens().length + k - 1;
        // Greedy drafts need no q: a point mass on the token is what VERIFY assumes without one.
        OutputMode mode = request.returnProbs() ? OutputMode.PROPOSE : OutputMode.SAMPLE;
        return new SequenceStep(request.sequenceId(), input, start, request.blockTable(), mode,
                request.sampling().after(proposed, 0, k));
    }
}
