package dev.llmserve.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LogitsProcessorTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    private static final float[] LOGITS = {2.0f, -1.0f, 0.5f, -3.0f, 1.0f};
    private static final TokenHistory HISTORY = new TokenHistory(new int[] {0, 2}, new int[] {1, 3, 1});

    private static NDManager manager;
    private final LogitsProcessor processor = new LogitsProcessor();

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void logitBiasIsAddedToTheGivenTokens() {
        SamplingParams params = penalties(1f, 0f, 0f, Map.of(1, 5f, 4, -100f));
        assertAdjusted(new float[] {2.0f, 4.0f, 0.5f, -3.0f, -99.0f}, process(LOGITS, params, TokenHistory.EMPTY),
                largest(LOGITS) + 100, "bias");
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfPromptAndOutputTokens() {
        // Tokens 0 and 2 are in the prompt, 1 and 3 in the output, 4 was never seen.
        float[] expected = {2.0f / 2, -1.0f * 2, 0.5f / 2, -3.0f * 2, 1.0f};
        assertAdjusted(expected, process(LOGITS, penalties(2f, 0f, 0f, Map.of()), HISTORY), largest(LOGITS) * 2,
                "repetition");
    }

    @Test
    void frequencyAndPresencePenaltiesCountOutputTokensOnly() {
        // Token 1 appears twice in the output, token 3 once; prompt tokens 0 and 2 are untouched.
        float[] expected = {2.0f, -1.0f - (2 * 0.5f + 0.3f), 0.5f, -3.0f - (0.5f + 0.3f), 1.0f};
        assertAdjusted(expected, process(LOGITS, penalties(1f, 0.3f, 0.5f, Map.of()), HISTORY),
                largest(LOGITS) + 2 * 0.5 + 0.3, "frequency and presence");
    }

    @Test
    void biasComesBeforeRepetitionWhichComesBeforeFrequencyAndPresence() {
        SamplingParams params = penalties(2f, 0.3f, 0.5f, Map.of(0, -4f, 1, 1f));
        float[] expected = {
            (2.0f - 4f) * 2, // bias makes it negative, so the penalty multiplies
            (-1.0f + 1f) * 2 - (2 * 0.5f + 0.3f), // 0 is multiplied, then the output penalties
            0.5f / 2,
            -3.0f * 2 - (0.5f + 0.3f),
            1.0f
        };
        assertAdjusted(expected, process(LOGITS, params, HISTORY), (largest(LOGITS) + 4) * 2 + 2 * 0.5 + 0.3,
                "bias, repetition, frequency and presence");
    }

    @Test
    void temperatureDividesSampledRowsAndGreedyRowsKeepOnlyTheirBestToken() {
        assertAdjusted(new float[] {4.0f, -2.0f, 1.0f, -6.0f, 2.0f},
                process(LOGITS, SamplingParams.of(0.5f, 0, 1f, 0f), TokenHistory.EMPTY), largest(LOGITS) / 0.5,
                "temperature");
        assertArrayEquals(new float[] {2.0f, NEG_INF, NEG_INF, NEG_INF, NEG_INF},
                process(LOGITS, SamplingParams.GREEDY, TokenHistory.EMPTY), 0f);
    }

    @Test
    void topKKeepsTheKBest() {
        float[] out = process(LOGITS, SamplingParams.of(1f, 2, 1f, 0f), TokenHistory.EMPTY);
        assertArrayEquals(new float[] {2.0f, NEG_INF, NEG_INF, NEG_INF, 1.0f}, out, 0f);
    }

    @Test
    void topPKeepsTheSmallestSetOfMostProbableTokensReachingP() {
        float[] probs = {0.1f, 0.4f, 0.2f, 0.3f};
        assertKept(probs, 0.3f, 0, new boolean[] {false, true, false, false});
        assertKept(probs, 0.65f, 0, new boolean[] {false, true, false, true});
        assertKept(probs, 0.75f, 0, new boolean[] {false, true, true, true});
        assertKept(probs, 0.95f, 0, new boolean[] {true, true, true, true});
        // After top-k = 2 the kept mass is renormalized: 0.4 / 0.7 > 0.5 already reaches p = 0.5.
        assertKept(probs, 0.5f, 2, new boolean[] {false, true, false, false});
        assertKept(probs, 0.6f, 2, new boolean[] {false, true, false, true});
    }

    @Test
    void topPFindsANucleusLargerThanTheFirstCandidates() {
        // p_i proportional to r^i: the first n tokens hold (1 - r^n) / (1 - r^V) of the mass.
        int vocab = 1000;
        double ratio = Math.exp(-0.002);
        float topP = 0.6f;
        float[] logits = new float[vocab];
        int nucleus = 0;
        for (int i = 0; i < vocab; i++) {
            logits[i] = -0.002f * i;
            if (nucleus == 0 && (1 - Math.pow(ratio, i + 1)) / (1 - Math.pow(ratio, vocab)) >= topP) {
                nucleus = i + 1;
            }
        }
        float[] out = process(logits, SamplingParams.of(1f, 0, topP, 0f), TokenHistory.EMPTY);
        long kept = IntStream.range(0, vocab).filter(i -> out[i] != NEG_INF).count();
        assertEquals(nucleus, kept);
        assertTrue(nucleus > 128, "the nucleus must not fit in the first candidates: " + nucleus);
        IntStream.range(0, nucleus).forEach(i -> assertEquals(logits[i], out[i], 0f));
    }

    @Test
    void minPRemovesTokensBelowMinPTimesTheBestProbability() {
        float[] probs = {0.5f, 0.2f, 0.1f, 0.15f, 0.05f};
        float[] logits = logOf(probs);
        // Threshold 0.25 * 0.5 = 0.125. Kept logits pass untouched: temperature 1 divides exactly.
        float[] out = process(logits, SamplingParams.of(1f, 0, 1f, 0.25f), TokenHistory.EMPTY);
        assertArrayEquals(new float[] {logits[0], logits[1], NEG_INF, logits[3], NEG_INF}, out, 0f);
    }

    @Test
    void probabilitiesAreTheRenormalizedKeptDistribution() {
        float[] probs = {0.1f, 0.4f, 0.2f, 0.3f};
        NDArray logits = manager.create(logOf(probs), new Shape(1, 4));
        float[] result = processor.probabilities(logits, List.of(row(SamplingParams.of(1f, 0, 0.65f, 0f))))
                .toFloatArray();
        // Relative to each probability: the logits are log p rounded to float32 (u·|log p| each), the softmax
        // over 4 and the renormalization over the 2 kept round on their own.
        double kept = (double) probs[1] + probs[3];
        double[] expected = {0, probs[1] / kept, 0, probs[3] / kept};
        double relative = FloatErrorModel.softmaxRelative(FloatErrorModel.U * largest(logOf(probs)), 4)
                + FloatErrorModel.normalization(2);
        BoundCheck check = BoundCheck.named("renormalized kept distribution / p");
        for (int i = 0; i < 4; i++) {
            int token = i;
            check.add(Math.abs(result[i] - expected[i]), relative * expected[i], () -> "token " + token);
        }
        check.report();
        assertArrayEquals(new float[] {0f, 1f, 0f, 0f},
                processor.probabilities(logits, List.of(row(SamplingParams.GREEDY))).toFloatArray(), 0f);
    }

    @Test
    void eachRowOfABatchIsProcessedAsIfAlone() {
        Random random = new Random(7);
        int vocab = 300;
        List<SamplingRow> rows = new ArrayList<>();
        float[][] logits = new float[12][];
        for (int r = 0; r < logits.length; r++) {
            logits[r] = gaussian(random, vocab);
            SamplingParams params = new SamplingParams(0.3f + 0.2f * (r % 4), r % 3 == 0 ? 0 : 5 + r,
                    r % 2 == 0 ? 1f : 0.8f, r % 5 == 0 ? 0.1f : 0f, r % 4 == 1 ? 1.3f : 1f,
                    r % 3 == 2 ? 0.5f : 0f, r % 3 == 1 ? 0.4f : 0f, r == 3 ? Map.of(7, 3f) : Map.of(), -1);
            TokenHistory history = new TokenHistory(new int[] {r, 2 * r}, new int[] {r + 1, r + 1, 9});
            rows.add(new SamplingRow(params, history, r, 0));
        }
        NDArray batch = manager.create(logits);
        float[] batched = processor.process(batch, rows).toFloatArray();
        for (int r = 0; r < logits.length; r++) {
            float[] alone = process(logits[r], rows.get(r).params(), rows.get(r).history());
            assertArrayEquals(alone, java.util.Arrays.copyOfRange(batched, r * vocab, (r + 1) * vocab), 0f, "row " + r);
        }
    }

    @Test
    void onlyTheResultIsLeftInTheLogitsManagerAndTheLogitsAreUnchanged() {
        try (NDManager owner = manager.newSubManager()) {
            NDArray logits = owner.create(LOGITS, new Shape(1, 5));
            SamplingParams all = new SamplingParams(0.7f, 3, 0.9f, 0.05f, 1.2f, 0.1f, 0.2f, Map.of(2, 1f), -1);
            processor.process(logits, List.of(new SamplingRow(all, HISTORY, 1L, 0)));
            processor.probabilities(logits, List.of(new SamplingRow(all, HISTORY, 1L, 0)));
            assertEquals(3, owner.getManagedArrays().size());
            assertArrayEquals(LOGITS, logits.toFloatArray(), 0f);
        }
    }

    @Test
    void biasOutsideTheVocabularyIsRejected() {
        SamplingParams params = penalties(1f, 0f, 0f, Map.of(5, 1f));
        assertThrows(IllegalArgumentException.class, () -> process(LOGITS, params, TokenHistory.EMPTY));
    }

    private void assertKept(float[] probs, float topP, int topK, boolean[] kept) {
        float[] logits = logOf(probs);
        float[] out = process(logits, SamplingParams.of(1f, topK, topP, 0f), TokenHistory.EMPTY);
        for (int i = 0; i < probs.length; i++) {
            String what = "top_p=" + topP + " top_k=" + topK + " token " + i;
            assertEquals(kept[i] ? logits[i] : NEG_INF, out[i], 0f, what); // temperature 1 divides exactly
        }
    }

    /**
     * Each adjusted logit takes at most five float32 roundings on either side, the engine's and the
     * expected value's (bias, penalty factor, count·frequency + presence, their difference, temperature),
     * each of at most the formula's magnitude: γ_10 of {@code magnitude}, the largest |logit| plus every
     * adjustment's size. Removed tokens (−inf) must be removed on both sides.
     */
    private static void assertAdjusted(float[] expected, float[] actual, double magnitude, String what) {
        assertEquals(expected.length, actual.length, what);
        double bound = FloatErrorModel.worstCase(10) * magnitude;
        BoundCheck check = BoundCheck.named("adjusted logits, " + what);
        for (int i = 0; i < expected.length; i++) {
            int token = i;
            double diff = expected[i] == actual[i] ? 0 : Math.abs(expected[i] - actual[i]);
            check.add(diff, bound, () -> "token " + token + ": " + expected[token] + " vs " + actual[token]);
        }
        check.report();
    }

    private static double largest(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private float[] process(float[] logits, SamplingParams params, TokenHistory history) {
        NDArray array = manager.create(logits, new Shape(1, logits.length));
        return processor.process(array, List.of(new SamplingRow(params, history, 0L, 0))).toFloatArray();
    }

    private static SamplingRow row(SamplingParams params) {
        return new SamplingRow(params, TokenHistory.EMPTY, 0L, 0);
    }

    /** Temperature 1 and no filters, so the processed logits show the penalties alone. */
    private static SamplingParams penalties(float repetition, float presence, float frequency,
            Map<Integer, Float> bias) {
        return new SamplingParams(1f, 0, 1f, 0f, repetition, presence, frequency, bias, -1);
    }

    static float[] logOf(float[] probs) {
        float[] logits = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            logits[i] = (float) Math.log(probs[i]);
        }
        return logits;
    }

    static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (2 * random.nextGaussian());
        }
        return values;
    }
}
