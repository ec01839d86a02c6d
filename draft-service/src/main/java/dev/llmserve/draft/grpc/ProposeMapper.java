package dev.llmserve.draft.grpc;

import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.protocol.grpc.Proposal;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeResponse;
import dev.llmserve.protocol.grpc.ProposeSequence;
import dev.llmserve.shard.ShardMapper;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Translates {@code Propose} messages to the engine's draft records and back. */
@Component
public class ProposeMapper {

    public List<DraftRequest> toRequests(ProposeRequest request) {
        List<DraftRequest> requests = new ArrayList<>(request.getSequencesCount());
        for (ProposeSequence s : request.getSequencesList()) {
            requests.add(new DraftRequest(s.getSequenceId(), ShardMapper.ints(s.getTokensList()),
                    s.getStartPosition(), ShardMapper.ints(s.getBlockTableList()), samplingRow(s), s.getNumTokens(),
                    s.getReturnProbs()));
        }
        return requests;
    }

    public ProposeResponse toResponse(List<DraftProposal> proposals) {
        ProposeResponse.Builder response = ProposeResponse.newBuilder();
        for (DraftProposal p : proposals) {
            Proposal.Builder out = response.addProposalsBuilder().setSequenceId(p.sequenceId());
            for (int token : p.tokens()) {
                out.addTokens(token);
            }
            if (p.probs() != null) {
                for (float[] row : p.probs()) {
                    for (float q : row) {
                        out.addProbs(q);
                    }
                }
            }
        }
        return response.build();
    }

    /** Proto → engine sampling, with model-shard's "0 means off" rule for top_p and repetition_penalty. */
    private static SamplingRow samplingRow(ProposeSequence s) {
        return ShardMapper.samplingRow(s.getSequenceId(), s.getSampling(), s.getSeed(), s.getPromptTokensList(),
                s.getOutputTokensList(), s.getOutputIndex());
    }
}
