package dev.llmserve.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.SharedModels;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.engine.kvcache.PagedKvCache;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ForwardPath;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.weights.WeightStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TorchScript step against the op-by-op step and against llama2.c's run.c, on stories260K. */
class TorchScriptForwardTest {

    private static final int BLOCK = 16;
    private static final SamplingRow GREEDY = new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0);

    private static Path root;
    private static int[] ids;
    private static NDManager manager;
    private static ModelConfig config;
    private static LlamaModel ops;
    private static TorchScriptForward headFirst;
    private static TorchScriptForward blockReads;
    private static TorchScriptForward exact;

    @BeforeAll
    static void load() throws IOException {
        root = SharedModels.stories260K().orElse(null);
        assumeTrue(root != null, "../shared/models/stories260K is absent: skipping the TorchScript-vs-op-by-op checks");
        ids = Arrays.stream(Files.readString(root.resolve("reference/greedy_onceupon_n256.ids")).trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
        Path dir = root.resolve("hf");
        config = ModelConfig.load(dir);
        manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        LlamaWeights weights = LlamaWeights.load(config, WeightStore.open(dir), manager, Device.cpu());
        ops = new LlamaModel(config, weights, manager);
        String source = TorchScriptForward.source();
        headFirst = new TorchScriptForward(config, weights, manager, false, Integer.MAX_VALUE, source);
        blockReads = new TorchScriptForward(config, weights, manager, false, 0, source);
        exact = new TorchScriptForward(config, weights, manager, true);
    }

    @AfterAll
    static void close() {
        if (exact != null) {
            headFirst.close();
            blockReads.close();
            exact.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    /** Hands out scattered (shuffled) blocks so no sequence's table is contiguous. */
    private static final class Blocks {
        private final List<Integer> free = new ArrayList<>();

        Blocks(int count, long seed) {
            for (int i = 0; i < count; i++) {
                free.add(i);
            }
            Collections.shuffle(free, new Random(seed));
        }

        int[] take(int positions) {
            int[] table = new int[(positions + BLOCK - 1) / BLOCK];
            for (int i = 0; i < table.length; i++) {
                table[i] = free.remove(free.size() - 1);
            }
            return table;
        }
    }

    private static int[] tokens(int from, int count) {
        return Arrays.copyOfRange(ids, from, from + count);
    }

    /** Sequence {@code id} feeds ids[start + shift ...] at positions start...; the shift gives it its own text. */
    private static SequenceStep seq(long id, int start, int count, int[] table, OutputMode mode) {
        int shift = (int) (id * 13 % 50);
        return new SequenceStep(id, tokens(start + shift, count), start, table, mode,
                mode == OutputMode.SAMPLE ? GREEDY : null);
    }

    @Test
    void mixedStepsMatchTheOpByOpForwardAndWriteTheSameCache() {
        KvCacheSpec spec = new KvCacheSpec(BLOCK, 64);
        Blocks blocks = new Blocks(spec.numBlocks(), 42);
        int[] t1 = blocks.take(80);
        int[] t2 = blocks.take(80);
        int[] t3 = blocks.take(80);
        int[] t4 = blocks.take(80);
        int[] t5 = blocks.take(40);
        int[] t6 = blocks.take(40);
        List<List<SequenceStep>> steps = List.of(
                // ragged prefill: padded and masked, every output mode
                List.of(seq(1, 0, 37, t1, OutputMode.ALL_LOGITS), seq(2, 0, 12, t2, OutputMode.SAMPLE),
                        seq(3, 0, 25, t3, OutputMode.NONE)),
                // a decode, a 5-token verification, a second prefill chunk and a fresh prompt
                List.of(seq(1, 37, 1, t1, OutputMode.SAMPLE), seq(2, 12, 5, t2, OutputMode.ALL_LOGITS),
                        seq(3, 25, 30, t3, OutputMode.SAMPLE), seq(4, 0, 9, t4, OutputMode.ALL_LOGITS)),
                // decodes over different context lengths: one query each, masked
                List.of(seq(1, 38, 1, t1, OutputMode.SAMPLE), seq(2, 17, 1, t2, OutputMode.SAMPLE),
                        seq(3, 55, 1, t3, OutputMode.SAMPLE), seq(4, 9, 1, t4, OutputMode.SAMPLE)),
                // uniform prefill (no padding) and then mask-free decodes
                List.of(seq(5, 0, 8, t5, OutputMode.ALL_LOGITS), seq(6, 0, 8, t6, OutputMode.SAMPLE)),
                List.of(seq(5, 8, 1, t5, OutputMode.SAMPLE), seq(6, 8, 1, t6, OutputMode.SAMPLE)),
                List.of(seq(5, 9, 3, t5, OutputMode.NONE), seq(6, 9, 3, t6, OutputMode.NONE)),
                // a single long verification after that, all logits
                List.of(seq(5, 12, 20, t5, OutputMode.ALL_LOGITS)));
        try (NDManager caches = manager.newSubManager()) {
            PagedKvCache opsCache = new PagedKvCache(config, spec, caches);
            List<TorchScriptForward> fast = List.of(headFirst, blockReads);
            List<PagedKvCache> fastCaches = List.of(new PagedKvCache(config, spec, caches),
                    new PagedKvCache(config, spec, caches));
            PagedKvCache exactCache = new PagedKvCache(config, spec, caches);
            float[] worst = new float[fast.size()];
            float worstExact = 0;
            for (List<SequenceStep> step : steps) {
                StepLayout layout = new StepLayout(step, BLOCK, config.maxPositions());
                try (NDManager s = manager.newSubManager()) {
                    NDArray expected = ops.forward(s, layout, opsCache);
                    float[] reference = expected.toFloatArray();
                    for (int i = 0; i < fast.size(); i++) {
                        NDArray actual = fast.get(i).forward(s, layout, fastCaches.get(i));
                        assertEquals(s, actual.getManager(), "logits must belong to the step's manager");
                        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
                        worst[i] = Math.max(worst[i], maxScaledDiff(reference, actual.toFloatArray()));
                    }
                    NDArray same = exact.forward(s, layout, exactCache);
                    assertArrayEquals(expected.getShape().getShape(), same.getShape().getShape());
                    worstExact = Math.max(worstExact, maxDiff(reference, same.toFloatArray()));
                }
            }
            // the same formulas give the same floats: padding, masks, slots and cache writes agree exactly
            assertTrue(worstExact <= 1e-5, "max |exact torchscript - op by op| logit = " + worstExact);
            for (int i = 0; i < fast.size(); i++) {
                // cheaper formulas (matmul mean, fused SiLU, RoPE as bmm, SDPA) round differently: ~10 ulp
                assertTrue(worst[i] <= 1e-5, (i == 0 ? "head-first" : "block reads")
                        + ": max |torchscript - op by op| / max(1, max |logit|) = " + worst[i]);
            }
            for (int l = 0; l < config.numLayers(); l++) {
                float[] k = opsCache.keys(l).toFloatArray();
                float[] v = opsCache.values(l).toFloatArray();
                assertEquals(0f, maxDiff(k, exactCache.keys(l).toFloatArray()), "layer " + l + " K");
                assertEquals(0f, maxDiff(v, exactCache.values(l).toFloatArray()), "layer " + l + " V");
                for (PagedKvCache c : fastCaches) {
                    assertTrue(maxScaledDiff(k, c.keys(l).toFloatArray()) <= 1e-5, "layer " + l + " K");
                    assertTrue(maxScaledDiff(v, c.values(l).toFloatArray()) <= 1e-5, "layer " + l + " V");
                }
            }
        }
    }

    /** Largest |a - b| in units of max(1, max |a|): rounding errors scale with the whole vector, not each entry. */
    private static float maxScaledDiff(float[] a, float[] b) {
        float scale = 1f;
        for (float v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        return maxDiff(a, b) / scale;
    }

    private static float maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    private static float[] readF32(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void greedyDecodeThroughTheRunnerReproducesRunC() throws IOException {
        RunnerOptions options = RunnerOptions.DEFAULTS.withDevice("cpu").withKvCacheMemory("16m")
                .withForward(ForwardPath.TORCHSCRIPT);
        try (ModelRunner runner = ModelRunner.load(root.resolve("hf"), options)) {
            int promptLength = 5;
            int[] table = new int[16];
            for (int i = 0; i < table.length; i++) {
                table[i] = 100 + 2 * i;
            }
            List<Integer> generated = new ArrayList<>();
            int[] next = Arrays.copyOf(ids, promptLength);
            int position = 0;
            while (position + next.length <= ids.length - 1) {
                var result = runner.step(List.of(new SequenceStep(7, next, position, table, OutputMode.SAMPLE, GREEDY)));
                position += next.length;
                int token = result.get(0).sampled().tokenId();
                generated.add(token);
                next = new int[] {token};
            }
            assertArrayEquals(Arrays.copyOfRange(ids, promptLength, ids.length),
                    generated.stream().mapToInt(Integer::intValue).toArray());

            float[] expected = readF32(root.resolve("reference/runc_logits_greedy_onceupon_n256.f32"));
            int[] reversed = new int[16];
            for (int i = 0; i < 16; i++) {
                reversed[i] = 15 - i;
            }
            float[][] logits = runner.step(List.of(new SequenceStep(1, Arrays.copyOf(ids, 256), 0, reversed,
                    OutputMode.ALL_LOGITS, null))).get(0).logits();
            float worst = 0;
            for (int p = 0; p < 256; p++) {
                for (int v = 0; v < config.vocabSize(); v++) {
                    worst = Math.max(worst, Math.abs(logits[p][v] - expected[p * config.vocabSize() + v]));
                }
            }
            assertTrue(worst < 1e-4, "max |logit - run.c| = " + worst);
        }
    }
}
