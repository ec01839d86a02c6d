package dev.llmserve.shard;

import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.tokenizer.TokenizerFingerprint;
import dev.llmserve.protocol.grpc.CopyBlocksRequest;
import dev.llmserve.protocol.grpc.CopyBlocksResponse;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.Sampling;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The proto ↔ engine translations both shard services need: the one place the step protocol's
 * {@link Sampling} becomes the engine's {@link SamplingParams} (inference-service's steps and
 * draft-service's proposals alike).
 */
public final class ShardMapper {

    private ShardMapper() {
    }

    /** The service's {@code Info} answer, tokenizer fingerprint included. */
    public static ModelInfo modelInfo(ModelProperties model, ModelRunner runner) {
        return ModelInfo.newBuilder()
                .setModelName(model.servedName())
                .setVocabSize(runner.config().vocabSize())
                .setContextLength(runner.config().maxPositions())
                .setNumBlocks(runner.cacheSpec().numBlocks())
                .setBlockSize(runner.cacheSpec().blockSize())
                .setDevice(runner.device())
                .setTokenizerHash(TokenizerFingerprint.of(model.path()))
                .build();
    }

    /** One sequence's sampling row; the history is empty when neither prompt nor output tokens were sent. */
    public static SamplingRow samplingRow(long sequenceId, Sampling sampling,
            long seed, List<Integer> promptTokens, List<Integer> outputTokens, int outputIndex) {
        TokenHistory history = promptTokens.isEmpty() && outputTokens.isEmpty()
                ? TokenHistory.EMPTY
                : new TokenHistory(ints(promptTokens), ints(outputTokens));
        return new SamplingRow(params(sequenceId, sampling), history, seed, outputIndex);
    }

    /**
     * An unset message reads as all zeros in proto3. Zero is never a valid top_p or repetition
     * penalty, so it means "off" (1) for those two; every other zero already means off.
     */
    private static SamplingParams params(long sequenceId, Sampling p) {
        try {
            return new SamplingParams(p.getTemperature(), p.getTopK(), offWhenZero(p.getTopP()), p.getMinP(),
                    offWhenZero(p.getRepetitionPenalty()), p.getPresencePenalty(), p.getFrequencyPenalty(),
                    p.getLogitBiasMap(), p.getLogprobs());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "sequence " + sequenceId + ": sampling parameters: " + e.getMessage(), e);
        }
    }

    private static float offWhenZero(float value) {
        return value == 0f ? 1f : value;
    }

    /** Checks a {@code CopyBlocks} request, hands its pairs to {@code copier}, and answers it. */
    public static CopyBlocksResponse copyBlocks(CopyBlocksRequest request, BiConsumer<int[], int[]> copier) {
        if (request.getSrcCount() != request.getDstCount()) {
            throw new IllegalArgumentException("copy needs as many destinations as sources, got "
                    + request.getSrcCount() + " and " + request.getDstCount());
        }
        copier.accept(ints(request.getSrcList()), ints(request.getDstList()));
        return CopyBlocksResponse.getDefaultInstance();
    }

    public static int[] ints(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
