package dev.llmserve.draft.grpc;

import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeResponse;
import dev.llmserve.protocol.grpc.ProposeSequence;
import dev.llmserve.protocol.grpc.Proposal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Translates {@code Propose} messages to the engine's draft records and back. The proto's
 * {@code SamplingParams} shares its name with the engine's, so it is written out in full here.
 */
@Component
public class ProposeMapper {

    public List<DraftRequest> toRequests(ProposeRequest request) {
        List<DraftRequest> requests = new ArrayList<>(request.getSequencesCount());
        for (ProposeSequence s : request.getSequencesList()) {
            requests.add(new DraftRequest(s.getSequenceId(), ints(s.getTokensList()), s.getStartPosition(),
                    ints(s.getBlockTableList()), samplingRow(s), s.getNumTokens(), s.getReturnProbs()));
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

    private static SamplingRow samplingRow(ProposeSequence s) {
        TokenHistory history = s.getPromptTokensCount() == 0 && s.getOutputTokensCount() == 0
                ? TokenHistory.EMPTY
                : new TokenHistory(ints(s.getPromptTokensList()), ints(s.getOutputTokensList()));
        return new SamplingRow(params(s), history, s.getSeed(), s.getOutputIndex());
    }

    /**
     * An unset message reads as all zeros in proto3. Zero is never a valid top_p or repetition
     * penalty, so it means "off" (1) for those two; every other zero already means off.
     */
    private static SamplingParams params(ProposeSequence s) {
        dev.llmserve.protocol.grpc.SamplingParams p = s.getSampling();
        try {
            return new SamplingParams(p.getTemperature(), p.getTopK(), offWhenZero(p.getTopP()), p.getMinP(),
                    offWhenZero(p.getRepetitionPenalty()), p.getPresencePenalty(), p.getFrequencyPenalty(),
                    p.getLogitBiasMap(), s.getSeed(), p.getLogprobs());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "sequence " + s.getSequenceId() + ": sampling parameters: " + e.getMessage(), e);
        }
    }

    private static float offWhenZero(float value) {
        return value == 0f ? 1f : value;
    }

    private static int[] ints(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
