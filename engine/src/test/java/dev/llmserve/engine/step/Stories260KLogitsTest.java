package dev.llmserve.engine.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.llmserve.engine.SharedModels;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The real stories260K model against what llama2.c's run.c printed for it. A class condition, not an
 * assumption in {@code @BeforeAll}: the reports then list each test as skipped instead of none at all.
 */
@EnabledIf(value = "dev.llmserve.engine.SharedModels#stories260KPresent",
        disabledReason = "../shared/models/stories260K is absent: skipping the run.c reference checks")
class Stories260KLogitsTest {

    private static Path root;
    private static ModelRunner runner;
    private static int[] ids;

    @BeforeAll
    static void load() throws IOException {
        root = SharedModels.stories260K().orElseThrow();
        runner = ModelRunner.load(root.resolve("hf"), RunnerOptions.DEFAULTS.withKvCacheMemory("16m"));
        ids = Arrays.stream(Files.readString(root.resolve("reference/greedy_onceupon_n256.ids")).trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
    }

    @AfterAll
    static void close() {
        runner.close();
    }

    /**
     * run.c's logits were saved as raw float32 (no printed digits, so no print rounding): the bound is
     * float error alone. Both sides are float32 and order their sums differently (run.c's plain loops,
     * libtorch's blocked kernels), so every term on the path to a logit counts
     * ({@link FloatErrorModel#reassociated}), relative to the logit scale of the whole run.
     */
    @Test
    void logitsAtAll256PositionsMatchRunC() throws IOException {
        float[] expected = readF32(root.resolve("reference/runc_logits_greedy_onceupon_n256.f32"));
        int[] input = Arrays.copyOf(ids, 256);
        int[] table = new int[256 / 16];
        for (int i = 0; i < table.length; i++) {
            table[i] = table.length - 1 - i; // scattered, reversed blocks
        }
        float[][] logits = runner.step(List.of(new SequenceStep(1, input, 0, table, OutputMode.ALL_LOGITS, null)))
                .get(0).logits();
        int vocab = runner.config().vocabSize();
        double scale = FloatErrorModel.scale(expected);
        double bound = FloatErrorModel.reassociated(FloatErrorModel.llamaPathTerms(runner.config(), 256));
        BoundCheck check = BoundCheck.named("stories260K logits vs run.c / logit scale");
        for (int p = 0; p < 256; p++) {
            float[] row = Arrays.copyOfRange(expected, p * vocab, (p + 1) * vocab);
            int position = p;
            check.add(FloatErrorModel.maxDiff(row, logits[p]) / scale, bound,
                    () -> "position " + position + " (logit scale " + scale + ")");
        }
        check.report();
    }

    @Test
    void greedyDecodeReproducesRunCTokenForToken() {
        int promptLength = 5;
        int[] table = new int[16];
        for (int i = 0; i < table.length; i++) {
            table[i] = 100 + 2 * i;
        }
        SamplingRow greedy = new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0);
        List<Integer> generated = new ArrayList<>();
        int[] next = Arrays.copyOf(ids, promptLength);
        int position = 0;
        while (position + next.length <= ids.length - 1) {
            var result = runner.step(List.of(new SequenceStep(7, next, position, table, OutputMode.SAMPLE, greedy)));
            position += next.length;
            int token = result.get(0).sampled().tokenId();
            generated.add(token);
            next = new int[] {token};
        }
        int[] expected = Arrays.copyOfRange(ids, promptLength, ids.length);
        assertArrayEquals(expected, generated.stream().mapToInt(Integer::intValue).toArray());
    }

    static float[] readF32(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(out);
        return out;
    }
}
