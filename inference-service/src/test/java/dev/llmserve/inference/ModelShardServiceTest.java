package dev.llmserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.protocol.grpc.CopyBlocksRequest;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.Sampling;
import dev.llmserve.protocol.grpc.StepOutput;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import dev.llmserve.protocol.grpc.StepResult;
import dev.llmserve.protocol.grpc.StepSequence;
import dev.llmserve.shard.DefaultModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The ModelShard RPCs over a real gRPC connection, checked against brown-6m's greedy generation. */
class ModelShardServiceTest extends ShardTestSupport {

    private static final int[] PROMPT = DefaultModels.PROMPT;
    private static final int[] REFERENCE = DefaultModels.TARGET_GREEDY;
    private static final int VOCAB = 4096;

    @Test
    void infoDescribesTheModelAndItsKvCache() {
        ModelInfo info = shard.info(InfoRequest.getDefaultInstance());

        KvCacheSpec expected = KvCacheSpec.fromMemory(ModelConfig.load(hfFolder()), 64L << 20, 16);
        assertThat(info.getModelName()).isEqualTo("brown-6m");
        assertThat(info.getVocabSize()).isEqualTo(VOCAB);
        assertThat(info.getContextLength()).isEqualTo(512);
        assertThat(info.getBlockSize()).isEqualTo(16);
        assertThat(info.getNumBlocks()).isEqualTo(expected.numBlocks());
        assertThat(info.getDevice()).isEqualTo("cpu()");
    }

    @Test
    void greedyDecodeThroughStepReproducesGenerate() {
        List<Integer> sequence = new ArrayList<>(boxed(PROMPT));
        List<Integer> table = List.of(40, 7, 63, 2); // 64 positions, scattered blocks
        int[] next = PROMPT;
        int position = 0;
        while (sequence.size() < 50) {
            StepResult result = shard.step(StepRequest.newBuilder()
                    .addSequences(sample(1, next, position, table).setOutputIndex(sequence.size() - PROMPT.length))
                    .build()).getResults(0);
            position += next.length;
            sequence.add(result.getTokenId());
            next = new int[] {result.getTokenId()};
        }

        assertThat(sequence).isEqualTo(boxed(Arrays.copyOf(REFERENCE, 50)));
    }

    @Test
    void aBatchOfThreeReturnsThreeResultsInOrderMatchingEachAlone() {
        int[][] prompts = {{0, 80, 1015}, PROMPT, {0, 1186, 259, 614, 664, 300, 46}};
        StepRequest.Builder batch = StepRequest.newBuilder();
        for (int i = 0; i < prompts.length; i++) {
            batch.addSequences(sample(30 + i, prompts[i], 0, List.of(100 + i)));
        }

        StepResponse together = shard.step(batch.build());

        assertThat(together.getResultsList()).extracting(StepResult::getSequenceId).containsExactly(30L, 31L, 32L);
        assertThat(together.getResults(1).getTokenId()).isEqualTo(REFERENCE[PROMPT.length]); // the first generated id
        for (int i = 0; i < prompts.length; i++) {
            StepResult alone = shard.step(StepRequest.newBuilder()
                    .addSequences(sample(40 + i, prompts[i], 0, List.of(110 + i))).build()).getResults(0);
            assertThat(together.getResults(i).getTokenId()).isEqualTo(alone.getTokenId());
        }
    }

    @Test
    void allLogitsReturnsTokensTimesVocabFloats() {
        StepResult result = shard.step(StepRequest.newBuilder().addSequences(StepSequence.newBuilder()
                .setSequenceId(5).addAllTokens(boxed(PROMPT)).addBlockTable(120)
                .setOutput(StepOutput.OUTPUT_ALL_LOGITS)).build()).getResults(0);

        assertThat(result.getLogitsCount()).isEqualTo(PROMPT.length * VOCAB);
        List<Float> lastRow = result.getLogitsList().subList((PROMPT.length - 1) * VOCAB, PROMPT.length * VOCAB);
        int argmax = IntStream.range(0, VOCAB).reduce((a, b) -> lastRow.get(b) > lastRow.get(a) ? b : a).orElseThrow();
        assertThat(argmax).isEqualTo(REFERENCE[PROMPT.length]);
        assertThat(result.getLogprob()).isNaN();
    }

    @Test
    void copiedBlocksContinueTheSequence() {
        shard.step(StepRequest.newBuilder().addSequences(StepSequence.newBuilder().setSequenceId(6)
                .addAllTokens(boxed(PROMPT)).addBlockTable(130).setOutput(StepOutput.OUTPUT_NONE)).build());

        shard.copyBlocks(CopyBlocksRequest.newBuilder().addSrc(130).addDst(131).build());
        StepResult next = shard.step(StepRequest.newBuilder()
                .addSequences(sample(7, new int[] {REFERENCE[PROMPT.length]}, PROMPT.length, List.of(131))).build()).getResults(0);

        assertThat(next.getTokenId()).isEqualTo(REFERENCE[PROMPT.length + 1]); // the second generated id
    }

    @Test
    void invalidStepsAreRejectedAndTheServerCarriesOn() {
        assertInvalid(sample(8, PROMPT, 0, List.of()), "block table");
        assertInvalid(sample(8, PROMPT, 510, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32)), "context");
        assertInvalid(sample(8, PROMPT, 0, List.of(0)).setSampling(Sampling.newBuilder().setTemperature(-1)),
                "temperature");
        assertInvalid(sample(8, new int[] {0, VOCAB}, 0, List.of(0)), "vocabulary");
        assertInvalid(sample(8, PROMPT, 0, List.of(1_000_000)), "block 1000000");
        assertThatThrownBy(() -> shard.copyBlocks(CopyBlocksRequest.newBuilder().addSrc(1).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        // unset sampling parameters (proto3 zeros) mean greedy with every filter off
        StepResult valid = shard.step(StepRequest.newBuilder()
                .addSequences(sample(9, PROMPT, 0, List.of(140)).clearSampling()).build()).getResults(0);
        assertThat(valid.getTokenId()).isEqualTo(REFERENCE[PROMPT.length]);
    }

    private void assertInvalid(StepSequence.Builder step, String messagePart) {
        StepRequest request = StepRequest.newBuilder().addSequences(step).build();
        assertThatThrownBy(() -> shard.step(request))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status status = Status.fromThrowable(e);
                    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(status.getDescription()).contains(messagePart);
                });
    }

    /** A greedy SAMPLE step with the fields a scheduler sends. */
    private static StepSequence.Builder sample(long id, int[] tokens, int position, List<Integer> blockTable) {
        return StepSequence.newBuilder()
                .setSequenceId(id)
                .addAllTokens(boxed(tokens))
                .setStartPosition(position)
                .addAllBlockTable(blockTable)
                .setOutput(StepOutput.OUTPUT_SAMPLE)
                .setSampling(Sampling.newBuilder().setTemperature(0f).setTopP(1f).setRepetitionPenalty(1f))
                .setSeed(1234);
    }

    private static List<Integer> boxed(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}
