package dev.llmserve.inference.grpc;

import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenLogprob;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.grpc.StepOutput;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import dev.llmserve.protocol.grpc.StepResult;
import dev.llmserve.protocol.grpc.StepSequence;
import dev.llmserve.shard.ShardMapper;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Translates the {@code ModelShard} step messages to the engine's records and back (the server side of Step). */
@Component
public class StepMapper {

    public List<SequenceStep> toSteps(StepRequest request) {
        List<SequenceStep> steps = new ArrayList<>(request.getSequencesCount());
        for (StepSequence s : request.getSequencesList()) {
            OutputMode output = output(s);
            SamplingRow sampling = output.samples() ? samplingRow(s) : null;
            steps.add(new SequenceStep(s.getSequenceId(), ShardMapper.ints(s.getTokensList()),
                    s.getStartPosition(), ShardMapper.ints(s.getBlockTableList()), output, sampling, draftProbs(s)));
        }
        return steps;
    }

    /**
     * VERIFY's q, [γ][vocab] from its row-major wire form (γ = tokens - 1); null when none was sent
     * (point masses). The engine checks the rows against its vocabulary.
     */
    private static float[][] draftProbs(StepSequence s) {
        int count = s.getDraftProbsCount();
        if (count == 0) {
            return null;
        }
        int gamma = s.getTokensCount() - 1;
        if (s.getOutput() != StepOutput.OUTPUT_VERIFY || gamma < 1 || count % gamma != 0) {
            throw new IllegalArgumentException("sequence " + s.getSequenceId() + ": " + count + " draft probabilities"
                    + " do not make one row per draft token of an OUTPUT_VERIFY step (" + Math.max(gamma, 0) + ")");
        }
        int vocab = count / gamma;
        float[][] q = new float[gamma][vocab];
        for (int i = 0; i < gamma; i++) {
            for (int v = 0; v < vocab; v++) {
                q[i][v] = s.getDraftProbs(i * vocab + v);
            }
        }
        return q;
    }

    public StepResponse toResponse(List<SequenceResult> results) {
        StepResponse.Builder response = StepResponse.newBuilder();
        for (SequenceResult r : results) {
            StepResult.Builder out = response.addResultsBuilder()
                    .setSequenceId(r.sequenceId())
                    .setLogprob(Float.NaN);
            if (r.sampled() != null) {
                addSampled(out, r.sampled());
            }
            if (r.logits() != null) {
                for (float[] row : r.logits()) {
                    for (float logit : row) {
                        out.addLogits(logit);
                    }
                }
            }
            if (r.acceptedTokens() != null) {
                for (int token : r.acceptedTokens()) {
                    out.addAcceptedTokens(token);
                }
            }
        }
        return response.build();
    }

    private static void addSampled(StepResult.Builder out, SampledToken sampled) {
        out.setTokenId(sampled.tokenId()).setLogprob(sampled.logprob());
        for (TokenLogprob top : sampled.topLogprobs()) {
            out.addTopLogprobsBuilder().setTokenId(top.tokenId()).setLogprob(top.logprob());
        }
    }

    private static OutputMode output(StepSequence s) {
        return switch (s.getOutput()) {
            case OUTPUT_NONE -> OutputMode.NONE;
            case OUTPUT_SAMPLE -> OutputMode.SAMPLE;
            case OUTPUT_ALL_LOGITS -> OutputMode.ALL_LOGITS;
            case OUTPUT_VERIFY -> OutputMode.VERIFY;
            case UNRECOGNIZED -> throw new IllegalArgumentException(
                    "sequence " + s.getSequenceId() + ": unknown output mode " + s.getOutputValue());
        };
    }

    /** Proto → engine sampling, with model-shard's "0 means off" rule for top_p and repetition_penalty. */
    private static SamplingRow samplingRow(StepSequence s) {
        return ShardMapper.samplingRow(s.getSequenceId(), s.getSampling(), s.getSeed(), s.getPromptTokensList(),
                s.getOutputTokensList(), s.getOutputIndex());
    }
}
