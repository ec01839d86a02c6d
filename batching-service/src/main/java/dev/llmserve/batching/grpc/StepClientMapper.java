package dev.llmserve.batching.grpc;

import dev.llmserve.batching.core.ShardInfo;
import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenLogprob;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.Sampling;
import dev.llmserve.protocol.grpc.StepOutput;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import dev.llmserve.protocol.grpc.StepResult;
import dev.llmserve.protocol.grpc.StepSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Engine step records to {@code ModelShard} messages and back (the client side of the step RPC), and the
 * one place the engine's {@link SamplingParams} become the step protocol's {@link Sampling} (proposals too).
 */
final class StepClientMapper {

    private StepClientMapper() {}

    static ShardInfo shardInfo(ModelInfo info) {
        return new ShardInfo(info.getModelName(), info.getVocabSize(), info.getContextLength(), info.getNumBlocks(),
                info.getBlockSize(), info.getDevice(), info.getTokenizerHash());
    }

    static StepRequest request(List<SequenceStep> steps) {
        StepRequest.Builder request = StepRequest.newBuilder();
        for (SequenceStep step : steps) {
            request.addSequences(sequence(step));
        }
        return request.build();
    }

    private static StepSequence sequence(SequenceStep step) {
        StepSequence.Builder s = StepSequence.newBuilder()
                .setSequenceId(step.sequenceId())
                .setStartPosition(step.startPosition())
                .setOutput(outputMode(step.output()));
        Arrays.stream(step.tokens()).forEach(s::addTokens);
        Arrays.stream(step.blockTable()).forEach(s::addBlockTable);
        if (step.output() == OutputMode.SAMPLE || step.output() == OutputMode.VERIFY) {
            SamplingRow row = step.sampling();
            s.setSampling(sampling(row.params())).setSeed(row.seed()).setOutputIndex(row.outputIndex());
            if (row.params().usesPenalties()) {
                Arrays.stream(row.history().promptTokens()).forEach(s::addPromptTokens);
                Arrays.stream(row.history().outputTokens()).forEach(s::addOutputTokens);
            }
        }
        if (step.draftProbs() != null) {
            for (float[] q : step.draftProbs()) {
                for (float p : q) {
                    s.addDraftProbs(p);
                }
            }
        }
        return s.build();
    }

    private static StepOutput outputMode(OutputMode mode) {
        return switch (mode) {
            case NONE -> StepOutput.OUTPUT_NONE;
            case SAMPLE -> StepOutput.OUTPUT_SAMPLE;
            case ALL_LOGITS -> StepOutput.OUTPUT_ALL_LOGITS;
            case VERIFY -> StepOutput.OUTPUT_VERIFY;
            case PROPOSE -> throw new IllegalArgumentException("PROPOSE steps run on draft shards, through Propose");
        };
    }

    static Sampling sampling(SamplingParams p) {
        return Sampling.newBuilder()
                .setTemperature(p.temperature())
                .setTopK(p.topK())
                .setTopP(p.topP())
                .setMinP(p.minP())
                .setRepetitionPenalty(p.repetitionPenalty())
                .setPresencePenalty(p.presencePenalty())
                .setFrequencyPenalty(p.frequencyPenalty())
                .putAllLogitBias(p.logitBias())
                .setLogprobs(p.logprobs())
                .build();
    }

    /** The response's results, read according to what each step asked for. */
    static List<SequenceResult> results(List<SequenceStep> steps, StepResponse response) {
        if (response.getResultsCount() != steps.size()) {
            throw new IllegalStateException("the shard answered " + response.getResultsCount() + " results for "
                    + steps.size() + " sequences");
        }
        List<SequenceResult> results = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            results.add(result(steps.get(i), response.getResults(i)));
        }
        return results;
    }

    private static SequenceResult result(SequenceStep step, StepResult r) {
        return switch (step.output()) {
            case NONE -> new SequenceResult(r.getSequenceId(), null, null);
            case SAMPLE -> new SequenceResult(r.getSequenceId(), sampled(r), null);
            case ALL_LOGITS -> new SequenceResult(r.getSequenceId(), null, logits(step.tokens().length, r));
            case VERIFY -> new SequenceResult(r.getSequenceId(), null, null,
                    r.getAcceptedTokensList().stream().mapToInt(Integer::intValue).toArray(), null);
            case PROPOSE -> throw new IllegalStateException("PROPOSE steps run on draft shards, through Propose");
        };
    }

    private static SampledToken sampled(StepResult r) {
        List<TokenLogprob> top = r.getTopLogprobsList().stream()
                .map(t -> new TokenLogprob(t.getTokenId(), t.getLogprob()))
                .toList();
        return new SampledToken(r.getTokenId(), r.getLogprob(), top);
    }

    private static float[][] logits(int rows, StepResult r) {
        if (rows == 0 || r.getLogitsCount() % rows != 0) {
            throw new IllegalStateException("sequence " + r.getSequenceId() + ": " + r.getLogitsCount()
                    + " logits do not split into " + rows + " rows");
        }
        int vocab = r.getLogitsCount() / rows;
        float[][] logits = new float[rows][vocab];
        for (int i = 0; i < rows; i++) {
            for (int v = 0; v < vocab; v++) {
                logits[i][v] = r.getLogits(i * vocab + v);
            }
        }
        return logits;
    }
}
