package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.PagedKvCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The step's forward pass as ONE TorchScript call ({@code llama_step.torchscript}, TorchScript's serialized code, compiled by {@link TorchScriptModule}): the computation of
 * {@link LlamaModel#forward} on the same folded weights and the same paged cache, written in place,
 * but the ~30 ops of a layer run inside libtorch's interpreter instead of crossing JNI one by one.
 *
 * <p>Per step Java sends one int64 tensor holding every index the step needs (token ids,
 * positions, write slots, read slots, block ids, padding rows, query positions, logit rows) and a
 * list of sizes; the weight list and the cache lists are built once and reused. Inference only: no
 * autograd (the op-by-op {@link LlamaModel} stays the differentiable path).
 *
 * <p>The script uses cheaper formulas that round differently from the op-by-op path (RMSNorm's mean
 * as a matmul, fused SiLU, RoPE as one bmm, scaled_dot_product_attention for block reads). Its
 * {@code exact} mode, which only the tests use, runs the op-by-op formulas instead, to tell a layout
 * error from a rounding one; its attention still reaches the kernels in other shapes, so neither mode
 * is bit for bit. How far they may differ: docs/engine.md › Numerical agreement.
 */
public final class TorchScriptForward implements StepForward {

    private static final String SOURCE = "llama_step.torchscript";
    /** Above this size the per-position RoPE matrices cost more memory than their ops save. */
    private static final long ROPE_TABLE_BYTES = 32L << 20;
    /**
     * Steps with at least this many (sequence, key position) pairs read the cache by whole blocks and
     * run scaled_dot_product_attention; smaller ones gather head-first rows, which takes fewer ops
     * (the measurements behind the threshold: docs/engine.md › Performance).
     */
    static final int BLOCK_READS_FROM = 1024;

    private final ModelConfig config;
    private final TorchScriptModule module;
    private final IValue weightList;
    private final boolean exact;
    private final int blockReadsFrom;
    private PagedKvCache boundCache;
    private final IValue[] cacheLists = new IValue[4];
    /** Reused for the per-step index: the tensor made from it lives only during the call. */
    private ByteBuffer indexBuffer = ByteBuffer.allocateDirect(0);

    public TorchScriptForward(ModelConfig config, LlamaWeights weights, NDManager manager) {
        this(config, weights, manager, false, BLOCK_READS_FROM, source());
    }

    /**
     * @param exact the op-by-op formulas (tests only)
     * @param blockReadsFrom B·C from which steps read whole blocks (0: always, MAX_VALUE: never); exact
     *     mode never does, since scaled_dot_product_attention rounds differently
     * @param source another version of {@code llama_step.torchscript} (same class, attributes and arguments)
     */
    TorchScriptForward(ModelConfig config, LlamaWeights weights, NDManager manager, boolean exact,
            int blockReadsFrom, String source) {
        this.config = config;
        this.exact = exact;
        this.blockReadsFrom = blockReadsFrom;
        int hd = config.headDim();
        boolean ropeMatmul = !exact && (long) config.maxPositions() * hd * hd * Float.BYTES <= ROPE_TABLE_BYTES;
        WeightSlots slots = new WeightSlots();
        slots.put(WeightSlots.Shared.EMBEDDING, weights.embedding());
        slots.put(WeightSlots.Shared.LM_HEAD, weights.lmHead());
        RotaryEmbedding rope = new RotaryEmbedding(config, manager);
        if (ropeMatmul) {
            slots.put(WeightSlots.Shared.ROPE_MATRICES, ropeMatrices(config, rope, manager));
        } else {
            slots.put(WeightSlots.Shared.ROPE_COS, rope.cos());
            slots.put(WeightSlots.Shared.ROPE_SIN, rope.sin());
            slots.put(WeightSlots.Shared.ROTATE_HALF, rope.rotateHalf());
        }
        slots.put(WeightSlots.Shared.EPS, manager.full(new Shape(1, 1), (float) config.rmsNormEps()));
        slots.put(WeightSlots.Shared.INV_HIDDEN, manager.full(new Shape(config.hiddenSize(), 1), 1f / config.hiddenSize()));
        slots.put(WeightSlots.Shared.KV_HEAD_IDS, manager.arange(0, config.numKvHeads(), 1, DataType.INT64).reshape(1, -1, 1));
        for (LayerWeights w : weights.layers()) {
            Map<WeightSlots.PerLayer, NDArray> layer = new EnumMap<>(WeightSlots.PerLayer.class);
            layer.put(WeightSlots.PerLayer.QKV, w.qkv());
            layer.put(WeightSlots.PerLayer.OUT, w.out());
            layer.put(WeightSlots.PerLayer.GATE_UP, w.gateUp());
            layer.put(WeightSlots.PerLayer.DOWN, w.down());
            if (config.attentionBias()) {
                layer.put(WeightSlots.PerLayer.QKV_BIAS, w.qkvBias());
            }
            slots.putLayer(layer);
        }
        TorchScriptModule.Builder builder = TorchScriptModule.builder("LlamaStep").source(source)
                .attribute("n_layers", config.numLayers())
                .attribute("n_heads", config.numHeads())
                .attribute("n_kv_heads", config.numKvHeads())
                .attribute("head_dim", hd)
                .attribute("hidden", config.hiddenSize())
                .attribute("intermediate", config.intermediateSize())
                .attribute("eps", config.rmsNormEps())
                .attribute("has_bias", config.attentionBias())
                .attribute("rope_matmul", ropeMatmul)
                .attribute("exact", exact);
        slots.attributes(builder);
        for (StepSizes size : StepSizes.values()) {
            builder.attribute(size.attribute(), size.ordinal());
        }
        this.module = builder.load(manager);
        this.weightList = slots.list();
    }

    /** M(p) = diag(cos_p) + R·diag(sin_p), so that x·M(p) = x·cos_p + rotate_half(x)·sin_p: RoPE as one bmm. */
    private static NDArray ropeMatrices(ModelConfig config, RotaryEmbedding rope, NDManager manager) {
        int hd = config.headDim();
        int positions = config.maxPositions();
        float[] cos = rope.cos().toFloatArray();
        float[] sin = rope.sin().toFloatArray();
        float[] rot = rope.rotateHalf().toFloatArray();
        float[] m = new float[positions * hd * hd];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < hd; i++) {
                for (int j = 0; j < hd; j++) {
                    m[(p * hd + i) * hd + j] = (i == j ? cos[p * hd + j] : 0f) + rot[i * hd + j] * sin[p * hd + j];
                }
            }
        }
        return manager.create(m, new Shape(positions, hd, hd));
    }

    static String source() {
        try (InputStream in = TorchScriptForward.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SOURCE + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public NDArray forward(NDManager step, StepLayout layout, PagedKvCache cache) {
        bind(cache);
        int t = layout.totalTokens;
        int b = layout.batch;
        int q = layout.maxQuery;
        int c = layout.maxContext;
        int blockSize = cache.spec().blockSize();
        int blocks = (c + blockSize - 1) / blockSize;
        boolean blockReads = !exact && (long) b * c >= blockReadsFrom;
        boolean padded = layout.paddedRows != null;
        int logits = layout.logitRows.length;
        int length = 3 * t + (blockReads ? b * blocks : b * c) + (padded ? b * q + t : 0) + b * q
                + (logits < t ? logits : 0);
        long[] sizes = new long[StepSizes.values().length];
        Arrays.fill(sizes, -1);
        sizes[StepSizes.TOKENS.ordinal()] = t;
        sizes[StepSizes.BATCH.ordinal()] = b;
        sizes[StepSizes.MAX_QUERY.ordinal()] = q;
        sizes[StepSizes.MAX_CONTEXT.ordinal()] = c;
        sizes[StepSizes.LOGIT_ROWS.ordinal()] = logits;
        sizes[StepSizes.PADDED.ordinal()] = padded ? 1 : 0;
        sizes[StepSizes.MASKED.ordinal()] = layout.maskFree ? 0 : 1;
        sizes[StepSizes.BLOCKS.ordinal()] = blocks;
        sizes[StepSizes.BLOCK_SIZE.ordinal()] = blockSize;
        sizes[StepSizes.BLOCK_READS.ordinal()] = blockReads ? 1 : 0;
        LongBuffer index = indexBuffer(length);
        sizes[StepSizes.TOKENS_AT.ordinal()] = index.position();
        for (int i = 0; i < t; i++) {
            index.put(layout.tokenIds[i]);
        }
        sizes[StepSizes.POSITIONS_AT.ordinal()] = index.position();
        for (int i = 0; i < t; i++) {
            index.put(layout.positions[i]);
        }
        sizes[StepSizes.WRITE_SLOTS_AT.ordinal()] = index.position();
        index.put(layout.writeSlots);
        if (blockReads) {
            sizes[StepSizes.READ_BLOCKS_AT.ordinal()] = index.position();
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < blocks; i++) {
                    index.put(layout.readSlots[s * c + i * blockSize] / blockSize);
                }
            }
        } else {
            sizes[StepSizes.READ_SLOTS_AT.ordinal()] = index.position();
            index.put(layout.readSlots);
        }
        if (padded) {
            sizes[StepSizes.PADDED_ROWS_AT.ordinal()] = index.position();
            index.put(layout.paddedRows);
            sizes[StepSizes.UNPADDED_ROWS_AT.ordinal()] = index.position();
            index.put(layout.unpaddedRows);
        }
        sizes[StepSizes.QUERY_POSITIONS_AT.ordinal()] = index.position();
        for (int i = 0; i < b * q; i++) {
            index.put(layout.queryPositions[i]);
        }
        if (logits < t) {
            sizes[StepSizes.LOGIT_ROWS_AT.ordinal()] = index.position();
            index.put(layout.logitRows);
        }
        try (NDArray indexArray = step.create(indexBuffer, new Shape(length), DataType.INT64);
                IValue indexValue = IValue.from((PtNDArray) indexArray);
                IValue sizeList = IValue.listFrom(sizes);
                IValue out = module.run("forward", weightList, cacheLists[0], cacheLists[1], cacheLists[2],
                        cacheLists[3], indexValue, sizeList)) {
            return out.toTensor((PtNDManager) step);
        }
    }

    private LongBuffer indexBuffer(int longs) {
        if (indexBuffer.capacity() < longs * Long.BYTES) {
            indexBuffer = ByteBuffer.allocateDirect(Math.max(longs, 1024) * 2 * Long.BYTES).order(ByteOrder.nativeOrder());
        }
        indexBuffer.clear().limit(longs * Long.BYTES);
        return indexBuffer.asLongBuffer();
    }

    /** The cache lists hold references to the cache tensors (and [slots·kvHeads, headDim] views); built once per cache. */
    private void bind(PagedKvCache cache) {
        if (cache == boundCache) {
            return;
        }
        closeCacheLists();
        int layers = cache.numLayers();
        PtNDArray[][] arrays = new PtNDArray[4][layers];
        List<NDArray> views = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            arrays[0][l] = (PtNDArray) cache.keys(l);
            arrays[1][l] = (PtNDArray) cache.values(l);
            arrays[2][l] = (PtNDArray) cache.keys(l).reshape(-1, config.headDim());
            arrays[3][l] = (PtNDArray) cache.values(l).reshape(-1, config.headDim());
            views.add(arrays[2][l]);
            views.add(arrays[3][l]);
        }
        for (int i = 0; i < 4; i++) {
            cacheLists[i] = IValue.listFrom(arrays[i]);
        }
        views.forEach(NDArray::close); // the lists keep their own references to the views
        boundCache = cache;
    }

    private void closeCacheLists() {
        for (int i = 0; i < cacheLists.length; i++) {
            if (cacheLists[i] != null) {
                cacheLists[i].close();
                cacheLists[i] = null;
            }
        }
        boundCache = null;
    }

    @Override
    public void close() {
        closeCacheLists();
        weightList.close();
        module.close();
    }
}
