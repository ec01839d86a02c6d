package dev.llmserve.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.engine.kvcache.PagedKvCache;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.engine.weights.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TorchScript step against the op-by-op step on the committed brown-6m: padding, masks, write and
 * read slots and cache writes must agree, up to the rounding of sums the two paths order differently
 * ({@link FloatErrorModel}). Agreement with llama2.c's run.c is Stories260KLogitsTest's job.
 */
class TorchScriptForwardTest {

    private static final int BLOCK = 16;
    private static final String TEXT = "The jury further said in term-end presentments that the City Executive Committee,"
            + " which had over-all charge of the election, deserves the praise and thanks of the City of Atlanta for"
            + " the manner in which the election was conducted.";
    private static final SamplingRow GREEDY = new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0);

    /** The committed default model, relative to the module folder the tests run in. */
    private static final Path MODEL = Path.of("..", "models", "brown-6m");

    private static int[] ids;
    private static NDManager manager;
    private static ModelConfig config;
    private static LlamaModel ops;
    private static TorchScriptForward headFirst;
    private static TorchScriptForward blockReads;
    private static TorchScriptForward exact;

    @BeforeAll
    static void load() throws IOException {
        Path dir = MODEL.toAbsolutePath().normalize();
        config = ModelConfig.load(dir);
        // text, so activations are those of real use; ids wrap around to cover every start below
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            int[] text = tokenizer.encode(TEXT, true);
            ids = new int[128];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = text[i % text.length];
            }
        }
        manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        LlamaWeights weights = LlamaWeights.load(config, WeightStore.open(dir), manager, Device.cpu());
        ops = new LlamaModel(config, weights, manager);
        String source = TorchScriptForward.source();
        headFirst = new TorchScriptForward(config, weights, manager, false, Integer.MAX_VALUE, source);
        blockReads = new TorchScriptForward(config, weights, manager, false, 0, source);
        exact = new TorchScriptForward(config, weights, manager, true, Integer.MAX_VALUE, source);
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
            double[] worst = new double[fast.size()];
            double worstExact = 0;
            int context = 0; // the longest context: the length of the attention sums
            for (List<SequenceStep> step : steps) {
                StepLayout layout = new StepLayout(step, BLOCK, config.maxPositions());
                context = Math.max(context, layout.maxContext);
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
                    worstExact = Math.max(worstExact, maxScaledDiff(reference, same.toFloatArray()));
                }
            }
            // Exact mode runs the op-by-op formulas, but its attention reaches the kernels in other shapes
            // (bmm over [B·KV, Q·G, D] instead of a 4-d matmul), so its scores, softmax normalizer and value
            // average may be summed in another order; the default mode also computes both RMSNorm means as
            // matmuls and RoPE as one bmm. The projections run as the same mm on the same shapes in both.
            long attention = (long) config.headDim() + 2L * context;
            long reordered = attention + 2L * config.hiddenSize() + config.headDim();
            long layers = config.numLayers();
            double exactBound = FloatErrorModel.reassociated(layers * attention);
            double bound = FloatErrorModel.reassociated(layers * reordered + config.hiddenSize());
            BoundCheck.assertWithin("exact torchscript vs op by op / logit scale", worstExact, exactBound);
            for (int i = 0; i < fast.size(); i++) {
                String name = i == 0 ? "head-first" : "block reads";
                BoundCheck.assertWithin(name + " torchscript vs op by op / logit scale", worst[i], bound);
            }
            // layer l's keys and values: the reordered sums of the layers before it, then its first norm and RoPE
            BoundCheck cacheCheck = BoundCheck.named("torchscript vs op by op kv cache / cache scale");
            for (int l = 0; l < config.numLayers(); l++) {
                float[] k = opsCache.keys(l).toFloatArray();
                float[] v = opsCache.values(l).toFloatArray();
                List<double[]> checks = new ArrayList<>();
                long before = (long) l * reordered;
                checks.add(new double[] {FloatErrorModel.reassociated((long) l * attention),
                        maxScaledDiff(k, exactCache.keys(l).toFloatArray()),
                        maxScaledDiff(v, exactCache.values(l).toFloatArray())});
                for (PagedKvCache c : fastCaches) {
                    checks.add(new double[] {FloatErrorModel.reassociated(before + config.hiddenSize() + config.headDim()),
                            maxScaledDiff(k, c.keys(l).toFloatArray()), maxScaledDiff(v, c.values(l).toFloatArray())});
                }
                int layer = l;
                for (double[] check : checks) {
                    cacheCheck.add(check[1], check[0], () -> "layer " + layer + " K");
                    cacheCheck.add(check[2], check[0], () -> "layer " + layer + " V");
                }
            }
            cacheCheck.report();
        }
    }

    /** Largest |a - b| in units of the logit (or cache) scale: rounding errors scale with the vector, not each entry. */
    private static double maxScaledDiff(float[] a, float[] b) {
        return FloatErrorModel.maxDiff(a, b) / FloatErrorModel.scale(a);
    }
}
