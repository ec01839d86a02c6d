package dev.llmserve.batching.core;

import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.step.ModelRunner;
import java.util.List;

/** A draft model on an engine {@link ModelRunner} in this process, without draft-service in between. */
public final class InProcessDraftModel implements DraftModel {

    private final ModelRunner runner;
    private final DraftProposer proposer;
    private final String modelName;
    private final String tokenizerHash;

    public InProcessDraftModel(ModelRunner runner, String modelName, String tokenizerHash) {
        this.runner = runner;
        this.proposer = new DraftProposer(runner);
        this.modelName = modelName;
        this.tokenizerHash = tokenizerHash;
    }

    @Override
    public ShardInfo info() {
        return ShardInfo.of(runner, modelName, tokenizerHash);
    }

    @Override
    public List<DraftProposal> propose(List<DraftRequest> requests) {
        return proposer.propose(requests);
    }
}
