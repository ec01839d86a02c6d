package dev.llmserve.batching.core;

import dev.llmserve.batching.speculative.DraftModel;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.step.ModelRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * A draft model on an engine {@link ModelRunner} in the test's process, without draft-service in
 * between; it keeps the requests it was sent, for tests that check what the speculator asks.
 */
public final class InProcessDraftModel implements DraftModel {

    private final ModelRunner runner;
    private final DraftProposer proposer;
    private final String modelName;
    private final String tokenizerHash;
    private final List<DraftRequest> requests = new ArrayList<>();

    public InProcessDraftModel(ModelRunner runner, String modelName, String tokenizerHash) {
        this.runner = runner;
        this.proposer = new DraftProposer(runner);
        this.modelName = modelName;
        this.tokenizerHash = tokenizerHash;
    }

    @Override
    public ShardInfo info() {
        return InProcessTargetModel.shardInfo(runner, modelName, tokenizerHash);
    }

    @Override
    public List<DraftProposal> propose(List<DraftRequest> requests) {
        this.requests.addAll(requests);
        return proposer.propose(requests);
    }

    /** Every request proposed for so far, in order. */
    public List<DraftRequest> requests() {
        return List.copyOf(requests);
    }
}
