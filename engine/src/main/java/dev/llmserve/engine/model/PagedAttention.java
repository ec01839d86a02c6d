package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.PagedKvCache;

/**
 * Grouped-query attention of one serving step over the paged KV cache: each layer writes the step's
 * K/V into their slots, then every sequence attends, batched over a padded [B, maxQuery] × [B,
 * maxContext] view, to its own slots only, causally. The per-step index tensors are built once for
 * all layers.
 */
final class PagedAttention implements AttentionCore {

    private final ModelConfig config;
    private final StepLayout layout;
    private final PagedKvCache cache;
    private final NDArray writeSlots;
    private final NDArray readSlots;
    private final NDArray paddedRows;
    private final NDArray unpaddedRows;
    private final NDArray mask;

    PagedAttention(ModelConfig config, NDManager step, StepLayout layout, PagedKvCache cache) {
        this.config = config;
        this.layout = layout;
        this.cache = cache;
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
        return hidden.toType(DataType.FLOAT32, false).muli(-1e30f);
    }

    @Override
    public NDArray attend(int layer, NDArray queries, NDArray keys, NDArray values) {
        int b = layout.batch;
        int q = layout.maxQuery;
        int c = layout.maxContext;
        int kvHeads = config.numKvHeads();
        int heads = config.numHeads();
        int groups = config.queriesPerKvHead();
        int hd = config.headDim();
        cache.write(layer, writeSlots, keys, values);

        NDArray padded = paddedRows == null ? queries : queries.get(new NDIndex("{}", paddedRows));
        padded = padded.reshape(b, q, kvHeads, groups, hd).transpose(0, 2, 1, 3, 4)
                .reshape(b, kvHeads, (long) q * groups, hd);
        NDArray cachedKeys = cache.readKeys(padded.getManager(), layer, readSlots)
                .reshape(b, c, kvHeads, hd).transpose(0, 2, 3, 1);
        NDArray cachedValues = cache.readValues(padded.getManager(), layer, readSlots)
                .reshape(b, c, kvHeads, hd).transpose(0, 2, 1, 3);
        NDArray scores = padded.matMul(cachedKeys);
        if (mask != null) {
            scores = scores.addi(mask);
        }
        NDArray out = scores.softmax(-1).matMul(cachedValues)
                .reshape(b, kvHeads, q, groups, hd).transpose(0, 2, 1, 3, 4)
                .reshape((long) b * q, (long) heads * hd);
        return unpaddedRows == null ? out : out.get(new NDIndex("{}", unpaddedRows));
    }
}
