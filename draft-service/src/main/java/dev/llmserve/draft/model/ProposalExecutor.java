package dev.llmserve.draft.model;

import dev.llmserve.draft.metrics.ProposeMetrics;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.step.ModelRunner;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The only way into the draft model: the runner is not thread-safe and gRPC calls arrive on many threads, so
 * proposals and block copies run one at a time (the engine validates them), and proposals are measured.
 */
@Component
public class ProposalExecutor {

    private final DraftProposer proposer;
    private final ModelRunner runner;
    private final ProposeMetrics metrics;

    public ProposalExecutor(DraftProposer proposer, ModelRunner runner, ProposeMetrics metrics) {
        this.proposer = proposer;
        this.runner = runner;
        this.metrics = metrics;
    }

    public synchronized List<DraftProposal> propose(List<DraftRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        long started = System.nanoTime();
        List<DraftProposal> proposals = proposer.propose(requests);
        metrics.recordPropose(proposals, System.nanoTime() - started);
        return proposals;
    }

    public synchronized void copyBlocks(int[] src, int[] dst) {
        runner.copyBlocks(src, dst);
    }
}
