package dev.llmserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.Sampling;
import dev.llmserve.protocol.grpc.StepOutput;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResult;
import dev.llmserve.protocol.grpc.StepSequence;
import dev.llmserve.shard.DefaultModels;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Speculative verification over a real gRPC connection: OUTPUT_VERIFY with and without the draft's
 * q, accepted tokens back in order, checked against brown-6m's greedy generation.
 */
class VerifyStepTest extends ShardTestSupport {

    private static final int VOCAB = 4096;
    private final int[] reference = DefaultModels.TARGET_GREEDY;

    @Test
    void infoReportsTheTokenizersSha256() throws IOException, NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(hfFolder().resolve("tokenizer.json")));

        assertThat(shard.info(InfoRequest.getDefaultInstance()).getTokenizerHash())
                .isEqualTo(HexFormat.of().formatHex(digest));
    }

    @Test
    void greedyVerificationAcceptsTheGreedyTokensAndAddsTheNext() {
        // the reference: 5 prompt tokens, then the greedy ids; the step starts at the first (position 5, not cached).
        List<Integer> table = List.of(200, 201);
        prefill(20, table);
        StepResult all = shard.step(verify(20, slice(5, 10), table, greedy(), 1)).getResults(0);
        assertThat(all.getAcceptedTokensList()).containsExactlyElementsOf(boxed(slice(6, 11)));

        List<Integer> other = List.of(202, 203);
        prefill(21, other);
        int[] drafts = slice(5, 10);
        drafts[3] = (drafts[3] + 1) % VOCAB; // the third draft is wrong
        StepResult cut = shard.step(verify(21, drafts, other, greedy(), 1)).getResults(0);
        assertThat(cut.getAcceptedTokensList()).containsExactlyElementsOf(boxed(slice(6, 9)));
    }

    @Test
    void sampledVerificationWithDraftProbabilitiesIsReproducibleAndInOrder() {
        Sampling sampled = Sampling.newBuilder().setTemperature(0.8f).setTopP(0.95f)
                .setRepetitionPenalty(1f).build();
        int[] drafts = slice(5, 9); // the first generated id and three more: γ = 3
        float[] q = new float[3 * VOCAB];
        for (int i = 0; i < 3; i++) {
            q[i * VOCAB + drafts[i + 1]] = 0.6f;
            q[i * VOCAB + 7] += 0.4f;
        }
        int[][] emitted = new int[2][];
        for (int run = 0; run < 2; run++) {
            List<Integer> table = List.of(210 + 2 * run, 211 + 2 * run);
            prefill(30 + run, table);
            StepSequence.Builder step = verify(30 + run, drafts, table, sampled, 1).getSequences(0).toBuilder();
            for (float f : q) {
                step.addDraftProbs(f);
            }
            emitted[run] = shard.step(StepRequest.newBuilder().addSequences(step).build()).getResults(0)
                    .getAcceptedTokensList().stream().mapToInt(Integer::intValue).toArray();
        }
        assertThat(emitted[0]).isEqualTo(emitted[1]);
        assertThat(emitted[0].length).isBetween(1, 4);
        // the accepted part is a prefix of the drafts
        assertThat(Arrays.copyOf(emitted[0], emitted[0].length - 1))
                .isEqualTo(Arrays.copyOfRange(drafts, 1, emitted[0].length));
    }

    @Test
    void draftProbabilitiesOfTheWrongShapeAreInvalid() {
        StepSequence.Builder step = verify(40, slice(5, 8), List.of(220), greedy(), 1).getSequences(0).toBuilder();
        IntStream.range(0, VOCAB + 1).forEach(i -> step.addDraftProbs(0f)); // two drafts, not a multiple of 2
        StepRequest request = StepRequest.newBuilder().addSequences(step).build();
        assertThatThrownBy(() -> shard.step(request)).satisfies(e -> {
            assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(Status.fromThrowable(e).getDescription()).contains("draft probabilities");
        });
    }

    /** The 5 prompt tokens into the cache (positions 0-4). */
    private void prefill(long id, List<Integer> table) {
        shard.step(StepRequest.newBuilder().addSequences(StepSequence.newBuilder().setSequenceId(id)
                .addAllTokens(boxed(slice(0, 5))).addAllBlockTable(table).setOutput(StepOutput.OUTPUT_NONE)).build());
    }

    private static StepRequest verify(long id, int[] tokens, List<Integer> table, Sampling sampling,
            int outputIndex) {
        return StepRequest.newBuilder().addSequences(StepSequence.newBuilder()
                .setSequenceId(id)
                .addAllTokens(boxed(tokens))
                .setStartPosition(5)
                .addAllBlockTable(table)
                .setOutput(StepOutput.OUTPUT_VERIFY)
                .setSampling(sampling)
                .setSeed(77)
                .setOutputIndex(outputIndex)).build();
    }

    private static Sampling greedy() {
        return Sampling.newBuilder().setTemperature(0f).setTopP(1f).setRepetitionPenalty(1f).build();
    }

    private int[] slice(int from, int to) {
        return Arrays.copyOfRange(reference, from, to);
    }

    private static List<Integer> boxed(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}
