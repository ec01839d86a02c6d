package dev.llmserve.engine.speculative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.bench.DecodeLoop;
import dev.llmserve.engine.bench.DecodeSequence;
import dev.llmserve.engine.sampling.LogitsProcessor;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import dev.llmserve.engine.testing.TinyModels;
import dev.llmserve.engine.testing.TinyRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PROPOSE and VERIFY steps on a tiny random model: what they return, alone and among other modes. */
class TinySpeculativeStepTest {

    private static final int BLOCK_SIZE = 4;
    private static final int[] PROMPT = {3, 17, 9, 41, 5};
    private static final SamplingParams SAMPLED = new SamplingParams(0.9f, 20, 0.95f, 0f, 1.2f, 0.3f, 0.1f,
            Map.of(), -1);

    @TempDir
    static Path dir;

    private static ModelRunner runner;
    private static int vocab;
    private static int hidden;
    private static int nextBlock;

    @BeforeAll
    static void load() throws IOException {
        TinyModels.Spec spec = new TinyModels.Spec("tiny");
        vocab = spec.vocab;
        hidden = spec.hidden;
        runner = TinyRuns.load(TinyModels.write(dir.resolve("tiny"), spec), BLOCK_SIZE);
    }

    @AfterAll
    static void close() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void greedyVerificationAcceptsTheTargetsOwnContinuationAndAddsTheNextToken() {
        int[] greedy = greedy(SamplingParams.GREEDY, 6);
        int[] accepted = verifyAfterPrompt(SamplingParams.GREEDY, Arrays.copyOfRange(greedy, 1, 5), null);
        assertArrayEquals(Arrays.copyOfRange(greedy, 1, 6), accepted, "4 drafts accepted, then the bonus token");
    }

    @Test
    void greedyVerificationStopsAtTheFirstWrongDraftWithTheTargetsToken() {
        int[] greedy = greedy(SamplingParams.GREEDY, 6);
        int[] drafts = Arrays.copyOfRange(greedy, 1, 5);
        drafts[2] = (drafts[2] + 1) % vocab;
        drafts[3] = greedy[4]; // right token after a wrong one: never looked at
        assertArrayEquals(Arrays.copyOfRange(greedy, 1, 4), verifyAfterPrompt(SamplingParams.GREEDY, drafts, null));
    }

    @Test
    void penaltiesAtEachVerifiedPositionSeeTheDraftsBeforeIt() {
        SamplingParams penalized = new SamplingParams(0f, 0, 1f, 0f, 3f, 1.5f, 1f, Map.of(), -1);
        int[] greedy = greedy(penalized, 8);
        assertFalse(Arrays.equals(greedy, greedy(SamplingParams.GREEDY, 8)), "the penalties must matter here");
        int[] accepted = verifyAfterPrompt(penalized, Arrays.copyOfRange(greedy, 1, 7), null);
        assertArrayEquals(Arrays.copyOfRange(greedy, 1, 8), accepted);
    }

    @Test
    void proposeReturnsTheSampledTokenAndTheDistributionItWasDrawnFrom() {
        int[] table = freshBlocks(PROMPT.length + 1);
        SamplingRow row = new SamplingRow(SAMPLED, new TokenHistory(PROMPT, new int[0]), 99, 0);
        SequenceResult proposed = runner.step(List.of(new SequenceStep(1, PROMPT, 0, table, OutputMode.PROPOSE, row)))
                .get(0);
        SequenceResult sampled = runner.step(List.of(new SequenceStep(1, PROMPT, 0, freshBlocks(PROMPT.length),
                OutputMode.SAMPLE, row))).get(0);
        float[] logits = TinyRuns.step(runner, PROMPT, 0, freshBlocks(PROMPT.length))[PROMPT.length - 1];

        assertEquals(sampled.sampled().tokenId(), proposed.sampled().tokenId(), "PROPOSE samples as SAMPLE does");
        // The same prefill either way; only the rows that reach the final norm and the LM head differ (the
        // last one or all), so only those two sums of `hidden` terms may be ordered differently.
        double scale = FloatErrorModel.scale(logits);
        assertProbabilitiesClose(probabilities(logits, row), proposed.probabilities(),
                FloatErrorModel.reassociated(2L * hidden) * scale, scale, "PROPOSE's q vs the processed ALL_LOGITS row");
        assertNormalized(proposed.probabilities(), "PROPOSE's q");
    }

    @Test
    void greedyProposalsAreAPointMass() {
        SamplingRow row = new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0);
        SequenceResult proposed = runner.step(List.of(new SequenceStep(1, PROMPT, 0, freshBlocks(PROMPT.length),
                OutputMode.PROPOSE, row))).get(0);
        float[] q = proposed.probabilities();
        assertEquals(1f, q[proposed.sampled().tokenId()], 0f);
        assertEquals(1.0, FloatErrorModel.sum(q), 0); // one entry is 1 and the rest exactly 0
    }

    @Test
    void everyModeInOneStepGivesWhatEachGetsAlone() {
        float[][] q = new float[3][vocab];
        for (int i = 0; i < 3; i++) {
            q[i][(7 * i + 3) % vocab] = 0.5f;
            q[i][(5 * i + 11) % vocab] = 0.5f;
        }
        int[] verifyTokens = {PROMPT[4], (7 * 0 + 3) % vocab, (5 * 1 + 11) % vocab, (7 * 2 + 3) % vocab};
        List<Part> parts = List.of(
                new Part(new int[] {4, 8, 15}, 0, OutputMode.NONE, null, null),
                new Part(verifyTokens, 4, OutputMode.VERIFY, sampledRow(11, 4), q),
                new Part(new int[] {16}, 3, OutputMode.SAMPLE, sampledRow(12, 3), null),
                new Part(PROMPT, 0, OutputMode.PROPOSE, sampledRow(13, 0), null),
                new Part(new int[] {23, 42}, 2, OutputMode.ALL_LOGITS, null, null),
                new Part(new int[] {PROMPT[4], 1, 2}, 4, OutputMode.VERIFY,
                        new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0), null));
        List<SequenceStep> together = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            together.add(parts.get(i).step(i));
        }
        List<SequenceResult> mixed = runner.step(together);
        for (int i = 0; i < parts.size(); i++) {
            SequenceResult alone = runner.step(List.of(parts.get(i).step(i))).get(0);
            SequenceResult m = mixed.get(i);
            String what = parts.get(i).output() + " sequence " + i;
            assertArrayEquals(alone.acceptedTokens(), m.acceptedTokens(), what);
            assertEquals(alone.sampled() == null ? null : alone.sampled().tokenId(),
                    m.sampled() == null ? null : m.sampled().tokenId(), what);
            if (alone.probabilities() != null) {
                // alone and mixed order every sum on the path differently: the logits differ by REORDERED
                Part part = parts.get(i);
                float[][] logits = TinyRuns.step(runner, part.tokens(), part.history(),
                        part.step(i).blockTable());
                double scale = FloatErrorModel.scale(logits[logits.length - 1]);
                assertProbabilitiesClose(alone.probabilities(), m.probabilities(), TinyRuns.REORDERED * scale, scale,
                        what);
            }
            if (alone.logits() != null) {
                TinyRuns.assertLogitsClose(alone.logits(), m.logits(), what);
            } else {
                assertNull(m.logits(), what);
            }
        }
        int emitted = mixed.get(1).acceptedTokens().length;
        assertTrue(emitted >= 1 && emitted <= 4, "γ = 3: between 1 and 4 tokens, got " + emitted);
    }

    @Test
    void malformedVerificationsAreRejected() {
        SamplingRow row = sampledRow(1, 0);
        int[] table = freshBlocks(8);
        assertThrows(IllegalArgumentException.class, () -> new SequenceStep(1, new int[] {1, 2, 3}, 0, table,
                OutputMode.VERIFY, row, new float[1][vocab]), "γ = 2 needs 2 draft distributions");
        assertThrows(IllegalArgumentException.class, () -> new SequenceStep(1, new int[] {1, 2}, 0, table,
                OutputMode.VERIFY, null), "VERIFY needs sampling parameters");
        assertThrows(IllegalArgumentException.class, () -> new SequenceStep(1, new int[] {1, 2}, 0, table,
                OutputMode.SAMPLE, row, new float[1][vocab]), "only VERIFY carries draft distributions");
        assertThrows(IllegalArgumentException.class, () -> runner.step(List.of(new SequenceStep(1, new int[] {1, 2}, 0,
                table, OutputMode.VERIFY, row, new float[1][vocab + 1]))), "q of another vocabulary");
    }

    /** One sequence of the mixed step: {@code history} tokens already cached, then {@code tokens}. */
    private record Part(int[] tokens, int history, OutputMode output, SamplingRow sampling, float[][] draftProbs) {
        SequenceStep step(int i) {
            int[] table = freshBlocks(history + tokens.length);
            if (history > 0) {
                runner.step(List.of(new SequenceStep(99, TinyRuns.randomTokens(i, history, vocab), 0, table,
                        OutputMode.NONE, null)));
            }
            return new SequenceStep(i, tokens, history, table, output, sampling, draftProbs);
        }
    }

    private static SamplingRow sampledRow(long seed, int outputIndex) {
        return new SamplingRow(SAMPLED, new TokenHistory(PROMPT, new int[] {7, 7}), seed, outputIndex);
    }

    /** Plain decoding of PROMPT: {@code count} tokens. */
    private static int[] greedy(SamplingParams params, int count) {
        return DecodeLoop.run(runner::step, List.of(new DecodeSequence(1, PROMPT, freshBlocks(PROMPT.length + count),
                params, 0)), count).outputs().get(0);
    }

    /** PROMPT then its first output g0 are cached but g0; VERIFY [g0, drafts...] at output index 1. */
    private static int[] verifyAfterPrompt(SamplingParams params, int[] drafts, float[][] q) {
        int[] table = freshBlocks(PROMPT.length + drafts.length + 1);
        int g0 = runner.step(List.of(new SequenceStep(1, PROMPT, 0, table, OutputMode.SAMPLE,
                new SamplingRow(params, new TokenHistory(PROMPT, new int[0]), 0, 0)))).get(0).sampled().tokenId();
        int[] tokens = new int[drafts.length + 1];
        tokens[0] = g0;
        System.arraycopy(drafts, 0, tokens, 1, drafts.length);
        SamplingRow row = new SamplingRow(params, new TokenHistory(PROMPT, new int[] {g0}), 0, 1);
        return runner.step(List.of(new SequenceStep(1, tokens, PROMPT.length, table, OutputMode.VERIFY, row, q)))
                .get(0).acceptedTokens();
    }

    private static float[] probabilities(float[] logits, SamplingRow row) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = manager.create(logits, new Shape(1, logits.length));
            return new LogitsProcessor().probabilities(array, List.of(row)).toFloatArray();
        }
    }

    /**
     * Two distributions of {@link #SAMPLED} rows whose raw logits (of scale {@code logitScale}) differ by at
     * most {@code logitDiff}, entry by entry relative to q_i. The repetition penalty multiplies a difference
     * by at most 1.2 and temperature divides it by 0.9; each side's penalties and temperature also round on
     * their own (at most 5 times each, of the adjusted logit's magnitude: γ_10, as in LogitsProcessorTest,
     * with outputs seen at most twice); then {@link FloatErrorModel#softmaxRelative} over the vocabulary,
     * and the renormalization after top-k and top-p over the kept tokens.
     */
    private static void assertProbabilitiesClose(float[] expected, float[] actual, double logitDiff,
            double logitScale, String what) {
        assertEquals(expected.length, actual.length, what);
        double magnitude = SAMPLED.repetitionPenalty() * logitScale + SAMPLED.presencePenalty()
                + 2 * SAMPLED.frequencyPenalty();
        double inputDiff = (logitDiff * SAMPLED.repetitionPenalty() + FloatErrorModel.worstCase(10) * magnitude)
                / SAMPLED.temperature();
        double relative = FloatErrorModel.softmaxRelative(inputDiff, vocab)
                + FloatErrorModel.normalization(FloatErrorModel.support(expected));
        BoundCheck check = BoundCheck.named("proposal q / q, " + what);
        for (int t = 0; t < expected.length; t++) {
            int token = t;
            check.add(Math.abs(expected[t] - actual[t]), relative * Math.max(expected[t], actual[t]),
                    () -> "token " + token);
        }
        check.report();
    }

    private static void assertNormalized(float[] q, String what) {
        BoundCheck.assertWithin("|Σq − 1|, " + what, Math.abs(FloatErrorModel.sum(q) - 1),
                FloatErrorModel.normalization(FloatErrorModel.support(q)));
    }



    private static int[] freshBlocks(int positions) {
        int[] table = TinyRuns.consecutiveBlocks(nextBlock, positions, BLOCK_SIZE);
        nextBlock += table.length;
        return table;
    }
}
