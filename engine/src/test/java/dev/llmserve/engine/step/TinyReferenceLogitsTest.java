package dev.llmserve.engine.step;

import static dev.llmserve.engine.testing.TinyRuns.assertMatchesReference;
import static dev.llmserve.engine.testing.TinyRuns.consecutiveBlocks;

import dev.llmserve.engine.testing.ReferenceLlama;
import dev.llmserve.engine.testing.TinyModels;
import dev.llmserve.engine.testing.TinyModels.Spec;
import dev.llmserve.engine.testing.TinyModels.TinyModel;
import dev.llmserve.engine.testing.TinyRuns;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The paged engine against the plain contiguous reference, at every position. */
class TinyReferenceLogitsTest {

    private static final int LENGTH = 23; // spans several blocks of 4 and two of 16, the last one partial

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, block size {1}")
    @MethodSource("dev.llmserve.engine.testing.TinyModels#variantsAndBlockSizes")
    void promptInOneStepMatchesReference(Spec spec, int blockSize) throws IOException {
        TinyModel model = TinyModels.write(dir, spec);
        int[] tokens = TinyRuns.randomTokens(11, LENGTH, spec.vocab);
        float[][] expected = new ReferenceLlama(model).logits(tokens);
        try (ModelRunner runner = TinyRuns.load(model, blockSize)) {
            float[][] actual = TinyRuns.step(runner, tokens, 0, consecutiveBlocks(3, LENGTH, blockSize));
            assertMatchesReference(expected, actual, "prompt of " + LENGTH + " in one step");
        }
    }

    @ParameterizedTest(name = "{0}, block size {1}")
    @MethodSource("dev.llmserve.engine.testing.TinyModels#variantsAndBlockSizes")
    void oneTokenPerStepMatchesReference(Spec spec, int blockSize) throws IOException {
        TinyModel model = TinyModels.write(dir, spec);
        int[] tokens = TinyRuns.randomTokens(12, LENGTH, spec.vocab);
        float[][] expected = new ReferenceLlama(model).logits(tokens);
        int[] table = consecutiveBlocks(3, LENGTH, blockSize);
        float[][] actual = new float[LENGTH][];
        try (ModelRunner runner = TinyRuns.load(model, blockSize)) {
            for (int pos = 0; pos < LENGTH; pos++) {
                actual[pos] = TinyRuns.step(runner, new int[] {tokens[pos]}, pos, table)[0];
            }
        }
        assertMatchesReference(expected, actual, "one token per step");
    }
}
