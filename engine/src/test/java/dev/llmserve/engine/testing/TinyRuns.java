package dev.llmserve.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.testing.TinyModels.TinyModel;
import java.util.List;
import java.util.Random;

/** Driving a runner on a tiny model, and comparing logits. */
public final class TinyRuns {

    /**
     * Terms on the path to one logit of the largest tiny shape (TinyModels.Spec's defaults; every
     * variant is at most as wide) over its whole 128-position context.
     */
    private static final long PATH_TERMS = FloatErrorModel.llamaPathTerms(32, 32, 8, 48, 2, 128);

    /**
     * Tolerance on |Δlogit| against {@link ReferenceLlama} (double precision), relative to the largest
     * expected |logit| (at least 1): only the engine rounds, every sum on the path counts.
     */
    public static final double TOLERANCE = FloatErrorModel.againstExact(PATH_TERMS);

    /**
     * Tolerance on |Δlogit| between two engine runs of one sequence in different steps (chunked, batched
     * with others, other blocks), relative to the logit scale: both round, and since the steps' shapes
     * differ, any sum on the path may be ordered differently.
     */
    public static final double REORDERED = FloatErrorModel.reassociated(PATH_TERMS);

    private TinyRuns() {}

    public static ModelRunner load(TinyModel model, int blockSize) {
        return ModelRunner.load(model.dir(), new RunnerOptions("cpu", "8m", blockSize));
    }

    /** Runs one sequence alone for one step and returns its logits [tokens][vocab]. */
    public static float[][] step(ModelRunner runner, int[] tokens, int start, int[] blockTable) {
        SequenceStep step = new SequenceStep(1, tokens, start, blockTable, OutputMode.ALL_LOGITS, null);
        return runner.step(List.of(step)).get(0).logits();
    }

    public static int[] randomTokens(long seed, int count, int vocab) {
        return new Random(seed).ints(count, 0, vocab).toArray();
    }

    /** Blocks first, first+1, ... enough for {@code positions} positions. */
    public static int[] consecutiveBlocks(int first, int positions, int blockSize) {
        int[] table = new int[(positions + blockSize - 1) / blockSize];
        for (int i = 0; i < table.length; i++) {
            table[i] = first + i;
        }
        return table;
    }

    public static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The engine's logits against {@link ReferenceLlama}'s, within {@link #TOLERANCE} of the logit scale. */
    public static void assertMatchesReference(float[][] reference, float[][] actual, String what) {
        assertLogitsClose(reference, actual, TOLERANCE, "against the reference: " + what);
    }

    /** Two engine runs' logits, within {@link #REORDERED} of the logit scale. */
    public static void assertLogitsClose(float[][] expected, float[][] actual, String what) {
        assertLogitsClose(expected, actual, REORDERED, what);
    }

    private static void assertLogitsClose(float[][] expected, float[][] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": number of positions");
        double scale = FloatErrorModel.scale(expected);
        BoundCheck check = BoundCheck.named("tiny logits / logit scale, " + what);
        for (int p = 0; p < expected.length; p++) {
            assertEquals(expected[p].length, actual[p].length, what + ": vocab at position " + p);
            int position = p;
            check.add(FloatErrorModel.maxDiff(expected[p], actual[p]) / scale, tolerance,
                    () -> "position " + position + " (logit scale " + scale + ")");
        }
        check.report();
    }
}
