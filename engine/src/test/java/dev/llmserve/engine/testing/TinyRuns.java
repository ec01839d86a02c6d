package dev.llmserve.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
     * Tolerance on |Δlogit| against {@link ReferenceLlama} (double precision), relative to the largest
     * expected |logit| (at least 1): only the engine rounds, every sum on the path of the largest tiny
     * shape (TinyModels.Spec's defaults, over its whole 128-position context) counts.
     */
    public static final double TOLERANCE = FloatErrorModel.againstExact(
            FloatErrorModel.llamaPathTerms(32, 32, 8, 48, 2, 128));

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

    public static void assertLogitsClose(float[][] expected, float[][] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": number of positions");
        double scale = 1;
        for (float[] row : expected) {
            for (float v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double worst = 0;
        int worstPos = -1;
        for (int p = 0; p < expected.length; p++) {
            assertEquals(expected[p].length, actual[p].length, what + ": vocab at position " + p);
            for (int v = 0; v < expected[p].length; v++) {
                double diff = Math.abs(expected[p][v] - actual[p][v]);
                if (Double.isNaN(diff)) {
                    fail(what + ": NaN logit at position " + p);
                }
                if (diff > worst) {
                    worst = diff;
                    worstPos = p;
                }
            }
        }
        if (!(worst <= TOLERANCE * scale)) {
            fail(String.format("%s: max |Δlogit| %.3g at position %d exceeds %.3g × logit scale %.3g",
                    what, worst, worstPos, TOLERANCE, scale));
        }
    }
}
