package dev.llmserve.draft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import dev.llmserve.engine.tokenizer.TokenizerFingerprint;
import dev.llmserve.protocol.grpc.CopyBlocksRequest;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.Proposal;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeResponse;
import dev.llmserve.protocol.grpc.ProposeSequence;
import dev.llmserve.protocol.grpc.Sampling;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.shard.DefaultModels;
import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The draft's ModelShard RPCs over a real gRPC connection, checked against brown-6m-draft's greedy generation. */
class DraftShardServiceTest extends DraftShardTestSupport {

    private final int[] reference = DefaultModels.DRAFT_GREEDY;

    /** The service's own runner, for the logits a bound is relative to; gRPC is idle while a test uses it. */
    @Autowired
    ModelRunner runner;

    @Test
    void infoDescribesTheModelItsKvCacheAndItsTokenizer() {
        ModelInfo info = shard.info(InfoRequest.getDefaultInstance());

        KvCacheSpec expected = KvCacheSpec.fromMemory(ModelConfig.load(hfFolder()), 16L << 20, 16);
        assertThat(info.getModelName()).isEqualTo("brown-6m-draft");
        assertThat(info.getVocabSize()).isEqualTo(VOCAB);
        assertThat(info.getContextLength()).isEqualTo(512);
        assertThat(info.getBlockSize()).isEqualTo(16);
        assertThat(info.getNumBlocks()).isEqualTo(expected.numBlocks());
        assertThat(info.getDevice()).isEqualTo("cpu()");
        assertThat(info.getTokenizerHash()).isEqualTo(TokenizerFingerprint.of(hfFolder())).hasSize(64);
    }

    @Test
    void greedyProposalIsRunCsContinuation() {
        Proposal proposal = proposeOne(greedy(1, PROMPT, 0, List.of(10), 4));

        assertThat(proposal.getSequenceId()).isEqualTo(1);
        assertThat(proposal.getTokensList()).isEqualTo(referenceAfter(PROMPT.length, 4));
        assertThat(proposal.getProbsCount()).isZero();
    }

    @Test
    void aBatchWithDifferentGammasGivesEachSequenceWhatItWouldGetAlone() {
        int[][] prompts = {{0, 80, 1015}, PROMPT, {0, 1186, 259, 614, 47, 11, 455}};
        int[] gammas = {2, 4, 6};
        ProposeRequest.Builder batch = ProposeRequest.newBuilder();
        for (int i = 0; i < prompts.length; i++) {
            batch.addSequences(greedy(20 + i, prompts[i], 0, List.of(20 + i), gammas[i]));
        }

        ProposeResponse together = shard.propose(batch.build());

        assertThat(together.getProposalsList()).extracting(Proposal::getSequenceId).containsExactly(20L, 21L, 22L);
        assertThat(together.getProposalsList()).extracting(Proposal::getTokensCount).containsExactly(2, 4, 6);
        assertThat(together.getProposals(1).getTokensList()).isEqualTo(referenceAfter(PROMPT.length, 4));
        for (int i = 0; i < prompts.length; i++) {
            Proposal alone = proposeOne(greedy(30 + i, prompts[i], 0, List.of(30 + i), gammas[i]));
            assertThat(together.getProposals(i).getTokensList()).isEqualTo(alone.getTokensList());
        }
    }

    @Test
    void returnedProbsAreOneDistributionPerProposedToken() {
        ProposeResponse response = shard.propose(ProposeRequest.newBuilder()
                .addSequences(greedy(40, PROMPT, 0, List.of(40), 4).setReturnProbs(true))
                .addSequences(greedy(41, PROMPT, 0, List.of(41), 3).setReturnProbs(true)
                        .setSampling(Sampling.newBuilder().setTemperature(0.8f).setTopK(50)).setSeed(7))
                .build());

        Proposal greedy = response.getProposals(0);
        assertThat(greedy.getProbsCount()).isEqualTo(4 * VOCAB);
        for (int i = 0; i < 4; i++) {
            float[] row = row(greedy, i);
            assertThat(row[greedy.getTokens(i)]).isEqualTo(1f);
            assertThat(FloatErrorModel.sum(row)).as("a point mass: every other entry exactly 0").isEqualTo(1.0);
        }
        Proposal sampled = response.getProposals(1);
        assertThat(sampled.getProbsCount()).isEqualTo(3 * VOCAB);
        for (int i = 0; i < 3; i++) {
            float[] row = row(sampled, i);
            BoundCheck.assertWithin("draft |Σq − 1|, temperature 0.8 top-k 50", Math.abs(FloatErrorModel.sum(row) - 1),
                    FloatErrorModel.normalization(FloatErrorModel.support(row)));
            assertThat(row[sampled.getTokens(i)]).isPositive();
            assertThat(IntStream.range(0, VOCAB).filter(t -> row[t] > 0).count()).isBetween(2L, 50L); // top-k 50
        }
    }

    @Test
    void aFollowUpWithCatchUpTokensContinuesTheSequence() {
        List<Integer> blocks = List.of(50);
        assertThat(proposeOne(greedy(50, PROMPT, 0, blocks, 2)).getTokensList())
                .isEqualTo(referenceAfter(PROMPT.length, 2));

        // The target accepted both and added its own token: positions 6 (d2) and 7 (the target's) are not yet in
        // the draft's cache, so they are the catch-up tokens.
        int[] catchUp = {reference[6], reference[7]};
        Proposal next = proposeOne(greedy(50, catchUp, 6, blocks, 8));

        assertThat(next.getTokensList()).isEqualTo(referenceAfter(8, 8));
    }

    @Test
    void afterARejectionTheFollowUpMatchesASequenceThatNeverSawTheRejectedTokens() {
        List<Integer> blocks = List.of(60);
        proposeOne(greedy(60, PROMPT, 0, blocks, 4)); // the draft's cache now holds d1..d3 at positions 5..7
        int replacement = 300; // the target rejected d2 at position 6 and chose this instead
        Sampling sampling = Sampling.newBuilder().setTemperature(1f).build();

        Proposal followUp = proposeOne(greedy(60, new int[] {replacement}, 6, blocks, 3)
                .setSampling(sampling).setSeed(11).setOutputIndex(2).setReturnProbs(true));
        int[] history = {PROMPT[0], PROMPT[1], PROMPT[2], PROMPT[3], PROMPT[4], reference[5], replacement};
        Proposal fresh = proposeOne(greedy(61, history, 0, List.of(61), 3)
                .setSampling(sampling).setSeed(11).setOutputIndex(2).setReturnProbs(true));

        assertThat(followUp.getTokensList()).isEqualTo(fresh.getTokensList());
        // The two caches were written by steps of other shapes, so every sum on the path may be ordered
        // differently: the logits differ by reassociated(path terms) of their scale (taken from the fresh
        // sequence's own logits at the three proposing positions), and each q_i by softmaxRelative of that.
        int[] scored = Arrays.copyOf(history, history.length + 2);
        scored[history.length] = fresh.getTokens(0);
        scored[history.length + 1] = fresh.getTokens(1);
        float[][] logits = runner.step(List.of(new SequenceStep(62, scored, 0, new int[] {62}, OutputMode.ALL_LOGITS,
                null))).get(0).logits();
        double logitDiff = FloatErrorModel.reassociated(FloatErrorModel.llamaPathTerms(runner.config(), scored.length))
                * FloatErrorModel.scale(Arrays.copyOfRange(logits, history.length - 1, scored.length));
        double relative = FloatErrorModel.softmaxRelative(logitDiff, VOCAB); // temperature 1, no filter
        BoundCheck check = BoundCheck.named("draft follow-up vs fresh q / q");
        for (int i = 0; i < followUp.getProbsCount(); i++) {
            float a = followUp.getProbs(i);
            float b = fresh.getProbs(i);
            int entry = i;
            check.add(Math.abs(a - b), relative * Math.max(a, b), () -> "entry " + entry);
        }
        check.report();
    }

    @Test
    void copiedBlocksContinueTheSequence() {
        proposeOne(greedy(70, PROMPT, 0, List.of(70), 1)); // writes the prompt's K/V into block 70

        shard.copyBlocks(CopyBlocksRequest.newBuilder().addSrc(70).addDst(71).build());
        Proposal fork = proposeOne(greedy(71, new int[] {reference[5]}, 5, List.of(71), 3));

        assertThat(fork.getTokensList()).isEqualTo(referenceAfter(6, 3));
    }

    @Test
    void invalidProposalsAreRejectedAndTheServerCarriesOn() {
        List<Integer> wholeContext = IntStream.range(0, 32).boxed().toList();
        assertInvalid(greedy(80, PROMPT, 0, List.of(80), 0), "at least one token");
        assertInvalid(greedy(80, new int[0], 0, List.of(80), 4), "last accepted token");
        assertInvalid(greedy(80, new int[] {0, VOCAB}, 0, List.of(80), 4), "vocabulary");
        assertInvalid(greedy(80, PROMPT, 0, List.of(1_000_000), 4), "block 1000000");
        assertInvalid(greedy(80, PROMPT, 0, List.of(), 4), "block table");
        assertInvalid(greedy(80, PROMPT, 505, wholeContext, 4), "context");
        assertInvalid(greedy(80, PROMPT, 0, List.of(80), 4)
                .setSampling(Sampling.newBuilder().setTemperature(-1)), "temperature");
        assertThatThrownBy(() -> shard.copyBlocks(CopyBlocksRequest.newBuilder().addSrc(1).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> shard.step(StepRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED))
                .hasMessageContaining("inference-service");

        // unset sampling parameters (proto3 zeros) mean greedy with every filter off
        Proposal valid = proposeOne(greedy(81, PROMPT, 0, List.of(81), 4).clearSampling());
        assertThat(valid.getTokensList()).isEqualTo(referenceAfter(PROMPT.length, 4));
    }

    private void assertInvalid(ProposeSequence.Builder sequence, String messagePart) {
        ProposeRequest request = ProposeRequest.newBuilder().addSequences(sequence).build();
        assertThatThrownBy(() -> shard.propose(request))
                .satisfies(e -> {
                    Status status = Status.fromThrowable(e);
                    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(status.getDescription()).contains("sequence 80").contains(messagePart);
                });
    }

    private List<Integer> referenceAfter(int position, int count) {
        return Arrays.stream(reference, position, position + count).boxed().toList();
    }

    private static float[] row(Proposal proposal, int index) {
        float[] row = new float[VOCAB];
        for (int t = 0; t < VOCAB; t++) {
            row[t] = proposal.getProbs(index * VOCAB + t);
        }
        return row;
    }
}
