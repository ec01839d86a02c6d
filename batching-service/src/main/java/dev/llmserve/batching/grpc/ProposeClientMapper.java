package dev.llmserve.batching.grpc;

import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.protocol.grpc.Proposal;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeResponse;
import dev.llmserve.protocol.grpc.ProposeSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Engine draft requests to {@code ModelShard.Propose} messages and back (the client side of Propose). */
final class ProposeClientMapper {

    private ProposeClientMapper() {}

    static ProposeRequest request(List<DraftRequest> requests) {
        ProposeRequest.Builder out = ProposeRequest.newBuilder();
        for (DraftRequest r : requests) {
            SamplingRow row = r.sampling();
            ProposeSequence.Builder s = ProposeSequence.newBuilder()
                    .setSequenceId(r.sequenceId())
                    .setStartPosition(r.startPosition())
                    .setSampling(StepClientMapper.sampling(row.params()))
                    .setSeed(row.seed())
                    .setOutputIndex(row.outputIndex())
                    .setNumTokens(r.numTokens())
                    .setReturnProbs(r.returnProbs());
            Arrays.stream(r.tokens()).forEach(s::addTokens);
            Arrays.stream(r.blockTable()).forEach(s::addBlockTable);
            if (row.params().usesPenalties()) {
                Arrays.stream(row.history().promptTokens()).forEach(s::addPromptTokens);
                Arrays.stream(row.history().outputTokens()).forEach(s::addOutputTokens);
            }
            out.addSequences(s);
        }
        return out.build();
    }

    static List<DraftProposal> proposals(List<DraftRequest> requests, ProposeResponse response) {
        if (response.getProposalsCount() != requests.size()) {
            throw new IllegalStateException("the draft shard answered " + response.getProposalsCount()
                    + " proposals for " + requests.size() + " sequences");
        }
        List<DraftProposal> proposals = new ArrayList<>(requests.size());
        for (Proposal p : response.getProposalsList()) {
            int[] tokens = p.getTokensList().stream().mapToInt(Integer::intValue).toArray();
            proposals.add(new DraftProposal(p.getSequenceId(), tokens, p.getProbsCount() == 0 ? null : probs(tokens, p)));
        }
        return proposals;
    }

    private static float[][] probs(int[] tokens, Proposal p) {
        if (tokens.length == 0 || p.getProbsCount() % tokens.length != 0) {
            throw new IllegalStateException("sequence " + p.getSequenceId() + ": " + p.getProbsCount()
                    + " draft probabilities do not split into " + tokens.length + " rows");
        }
        int vocab = p.getProbsCount() / tokens.length;
        float[][] q = new float[tokens.length][vocab];
        for (int i = 0; i < tokens.length; i++) {
            for (int v = 0; v < vocab; v++) {
                q[i][v] = p.getProbs(i * vocab + v);
            }
        }
        return q;
    }
}
