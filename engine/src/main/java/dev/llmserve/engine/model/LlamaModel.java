package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.PagedKvCache;

/**
 * The Llama forward pass over a paged KV cache, for all sequences of a step at once: every
 * projection is one matmul over all T new tokens; attention runs batched over a padded
 * [B, maxQuery] × [B, maxContext] view, each sequence reading only its own slots, causally.
 */
public final class LlamaModel implements StepForward {

    private final ModelConfig config;
    private final LlamaWeights weights;
    private final RotaryEmbedding rope;
    private final NDArray epsilon;
    private final NDArray maskValue;

    public LlamaModel(ModelConfig config, LlamaWeights weights, NDManager manager) {
        this.config = config;
        this.weights = weights;
        this.rope = new RotaryEmbedding(config, manager);
        this.epsilon = manager.create((float) config.rmsNormEps());
        this.maskValue = manager.create(-1e30f);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    /** Runs the step, writes its K/V into the cache and returns logits [logitRows, vocab]. */
    @Override
    public NDArray forward(NDManager step, StepLayout layout, PagedKvCache cache) {
        NDArray tokens = step.create(layout.tokenIds);
        NDArray positions = step.create(layout.positions);
        NDArray[] ropeTables = rope.tables(step, positions);
        Attention attention = new Attention(step, layout);
        NDArray x = weights.embedding().get(step, new NDIndex("{}", tokens));
        for (int l = 0; l < config.numLayers(); l++) {
            LayerWeights w = weights.layers().get(l);
            x = x.addi(attention.forward(l, rmsNorm(x), w, ropeTables, cache));
            x = x.addi(mlp(rmsNorm(x), w));
        }
        if (layout.logitRows.length == 0) {
            return step.zeros(new Shape(0, config.vocabSize()));
        }
        NDArray rows = layout.logitRows.length == layout.totalTokens
                ? x : x.get(new NDIndex("{}", step.create(layout.logitRows)));
        return rmsNorm(rows).matMul(weights.lmHead());
    }

    /** RMSNorm without its gain: the gain is folded into the next projection (see LlamaWeights). */
    private NDArray rmsNorm(NDArray x) {
        return x.div(x.square().mean(new int[] {-1}, true).addi(epsilon).sqrt());
    }

    private static NDArray mlp(NDArray x, LayerWeights w) {
        NDList gateUp = x.matMul(w.gateUp()).split(2, 1);
        NDArray gate = gateUp.get(0);
        return gate.mul(Activation.sigmoid(gate)).muli(gateUp.get(1)).matMul(w.down());
    }

    /** Grouped-query attention for one step; the per-step index tensors are built once for all layers. */
    private final class Attention {
        private final StepLayout layout;
        private final NDArray writeSlots;
        private final NDArray readSlots;
        private final NDArray paddedRows;
        private final NDArray unpaddedRows;
        private final NDArray mask;

        Attention(NDManager step, StepLayout layout) {
            this.layout = layout;
            this.writeSlots = step.create(layout.writeSlots);
            this.readSlots = step.create(layout.readSlots);
            this.paddedRows = layout.paddedRows == null ? null : step.create(layout.paddedRows);
            this.unpaddedRows = layout.unpaddedRows == null ? null : step.create(layout.unpaddedRows);
            this.mask = layout.maskFree ? null : causalMask(step);
        }

        /** Additive mask [B, 1, maxQuery·groups, maxContext]: key j is hidden from a query at position p < j. */
        private NDArray causalMask(NDManager step) {
            int groups = config.queriesPerKvHead();
            int b = layout.batch;
            int q = layout.maxQuery;
            int[] queryPos = new int[b * q * groups];
            for (int i = 0; i < b * q; i++) {
                for (int g = 0; g < groups; g++) {
                    queryPos[i * groups + g] = layout.queryPositions[i];
                }
            }
            NDArray keyPos = step.arange(0, layout.maxContext, 1, DataType.INT32).reshape(1, 1, 1, -1);
            NDArray hidden = keyPos.gt(step.create(queryPos, new Shape(b, 1, (long) q * groups, 1)));
            return hidden.toType(DataType.FLOAT32, false).muli(maskValue);
        }

        NDArray forward(int layer, NDArray x, LayerWeights w, NDArray[] ropeTables, PagedKvCache cache) {
            int t = layout.totalTokens;
            int b = layout.batch;
            int q = layout.maxQuery;
            int c = layout.maxContext;
            int kvHeads = config.numKvHeads();
            int heads = config.numHeads();
            int groups = config.queriesPerKvHead();
            int hd = config.headDim();

            NDArray qkv = x.matMul(w.qkv());
            if (w.qkvBias() != null) {
                qkv = qkv.addi(w.qkvBias());
            }
            NDList qkAndV = qkv.split(new long[] {(long) (heads + kvHeads) * hd}, 1);
            NDArray qk = rope.apply(qkAndV.get(0).reshape(t, heads + kvHeads, hd), ropeTables);
            NDList qAndK = qk.split(new long[] {heads}, 1);
            cache.write(layer, writeSlots, qAndK.get(1), qkAndV.get(1).reshape(t, kvHeads, hd));

            NDArray queries = paddedRows == null ? qAndK.get(0) : qAndK.get(0).get(new NDIndex("{}", paddedRows));
            queries = queries.reshape(b, q, kvHeads, groups, hd).transpose(0, 2, 1, 3, 4)
                    .reshape(b, kvHeads, (long) q * groups, hd);
            NDArray keys = cache.readKeys(queries.getManager(), layer, readSlots)
                    .reshape(b, c, kvHeads, hd).transpose(0, 2, 3, 1);
            NDArray values = cache.readValues(queries.getManager(), layer, readSlots)
                    .reshape(b, c, kvHeads, hd).transpose(0, 2, 1, 3);
            NDArray scores = queries.matMul(keys);
            if (mask != null) {
                scores = scores.addi(mask);
            }
            NDArray out = scores.softmax(-1).matMul(values)
                    .reshape(b, kvHeads, q, groups, hd).transpose(0, 2, 1, 3, 4)
                    .reshape((long) b * q, (long) heads * hd);
            if (unpaddedRows != null) {
                out = out.get(new NDIndex("{}", unpaddedRows));
            }
            return out.matMul(w.out());
        }
    }
}
