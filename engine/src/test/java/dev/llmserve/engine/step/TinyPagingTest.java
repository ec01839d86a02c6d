package dev.llmserve.engine.step;

import static dev.llmserve.engine.testing.TinyRuns.assertLogitsClose;
import static dev.llmserve.engine.testing.TinyRuns.consecutiveBlocks;

import dev.llmserve.engine.testing.ReferenceLlama;
import dev.llmserve.engine.testing.TinyModels;
import dev.llmserve.engine.testing.TinyModels.Spec;
import dev.llmserve.engine.testing.TinyModels.TinyModel;
import dev.llmserve.engine.testing.TinyRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Where a sequence's KV lives, and in how many steps it got there, must not change its logits. */
class TinyPagingTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, block size {1}")
    @MethodSource("dev.llmserve.engine.testing.TinyModels#variantsAndBlockSizes")
    void chunkedPrefillEqualsPrefillAtOnce(Spec spec, int blockSize) throws IOException {
        int[] tokens = TinyRuns.randomTokens(21, 15, spec.vocab);
        try (ModelRunner runner = TinyRuns.load(TinyModels.write(dir, spec), blockSize)) {
            float[][] atOnce = TinyRuns.step(runner, tokens, 0, consecutiveBlocks(0, 15, blockSize));
            int[] table = consecutiveBlocks(10, 15, blockSize);
            List<float[]> chunked = new ArrayList<>();
            int start = 0;
            for (int chunk : new int[] {5, 3, 1, 6}) {
                int[] part = Arrays.copyOfRange(tokens, start, start + chunk);
                chunked.addAll(List.of(TinyRuns.step(runner, part, start, table)));
                start += chunk;
            }
            assertLogitsClose(atOnce, chunked.toArray(float[][]::new), "chunks 5+3+1+6 vs 15 at once");
        }
    }

    @ParameterizedTest(name = "{0}, block size {1}")
    @MethodSource("dev.llmserve.engine.testing.TinyModels#variantsAndBlockSizes")
    void scatteredBlocksEqualConsecutiveBlocks(Spec spec, int blockSize) throws IOException {
        int length = 4 * blockSize; // fills all four blocks
        int[] tokens = TinyRuns.randomTokens(22, length, spec.vocab);
        try (ModelRunner runner = TinyRuns.load(TinyModels.write(dir, spec), blockSize)) {
            float[][] consecutive = prefillThenDecode(runner, tokens, new int[] {20, 21, 22, 23});
            float[][] scattered = prefillThenDecode(runner, tokens, new int[] {9, 2, 14, 5});
            assertLogitsClose(consecutive, scattered, "blocks [9, 2, 14, 5] vs [20, 21, 22, 23]");
        }
    }

    /** All but the last 3 tokens in one step, then one token per step. */
    private static float[][] prefillThenDecode(ModelRunner runner, int[] tokens, int[] table) {
        int prompt = tokens.length - 3;
        List<float[]> logits = new ArrayList<>(List.of(
                TinyRuns.step(runner, Arrays.copyOf(tokens, prompt), 0, table)));
        for (int pos = prompt; pos < tokens.length; pos++) {
            logits.add(TinyRuns.step(runner, new int[] {tokens[pos]}, pos, table)[0]);
        }
        return logits.toArray(float[][]::new);
    }

    /**
     * A fork shares the original's full blocks and gets a copy of its partly written last block
     * (copy-on-write); both then continue with the same tokens and must agree with each other and
     * with the reference.
     */
    @ParameterizedTest(name = "{0}, block size {1}")
    @MethodSource("dev.llmserve.engine.testing.TinyModels#variantsAndBlockSizes")
    void forkAfterCopyBlocksContinuesLikeOriginal(Spec spec, int blockSize) throws IOException {
        TinyModel model = TinyModels.write(dir, spec);
        int prompt = 10;
        int[] tokens = TinyRuns.randomTokens(23, prompt + 5, spec.vocab);
        int[] continuation = Arrays.copyOfRange(tokens, prompt, tokens.length);
        float[][] reference = Arrays.copyOfRange(new ReferenceLlama(model).logits(tokens), prompt, tokens.length);

        int[] original = consecutiveBlocks(30, tokens.length, blockSize);
        int shared = prompt / blockSize; // full blocks; block `shared` is partly written
        int[] fork = IntStream.range(0, original.length).map(i -> i < shared ? original[i] : 60 + i).toArray();
        try (ModelRunner runner = TinyRuns.load(model, blockSize)) {
            int[] promptTokens = Arrays.copyOf(tokens, prompt);
            runner.step(List.of(new SequenceStep(1, promptTokens, 0, original, OutputMode.NONE, null)));
            runner.copyBlocks(new int[] {original[shared]}, new int[] {fork[shared]});
            float[][] originalLogits = TinyRuns.step(runner, continuation, prompt, original);
            float[][] forkLogits = TinyRuns.step(runner, continuation, prompt, fork);
            assertLogitsClose(originalLogits, forkLogits, "fork vs original");
            TinyRuns.assertMatchesReference(reference, forkLogits, "fork");
        }
    }
}
