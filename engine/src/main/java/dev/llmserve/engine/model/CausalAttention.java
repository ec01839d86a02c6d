package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.config.ModelConfig;

/**
 * Training's attention: {@code batch} contiguous windows of {@code length} tokens each (rows laid out
 * window after window), every token attending to the tokens before it in its own window. No cache.
 */
public final class CausalAttention implements AttentionCore {

    private final ModelConfig config;
    private final int batch;
    private final int length;
    private final NDArray mask;

    public CausalAttention(ModelConfig config, NDManager manager, int batch, int length) {
        this.config = config;
        this.batch = batch;
        this.length = length;
        this.mask = causalMask(manager);
    }

    /** Additive mask [length·groups, length], rows ordered (query, group) as the reshaped queries are. */
    private NDArray causalMask(NDManager manager) {
        int groups = config.queriesPerKvHead();
        float[] values = new float[length * groups * length];
        for (int q = 0; q < length; q++) {
            for (int g = 0; g < groups; g++) {
                int row = (q * groups + g) * length;
                for (int k = q + 1; k < length; k++) {
                    values[row + k] = -1e30f;
                }
            }
        }
        return manager.create(values, new Shape((long) length * groups, length));
    }

    @Override
    public NDArray attend(int layer, NDArray queries, NDArray keys, NDArray values) {
        int kvHeads = config.numKvHeads();
        int groups = config.queriesPerKvHead();
        int hd = config.headDim();
        NDArray q = queries.reshape(batch, length, kvHeads, groups, hd).transpose(0, 2, 1, 3, 4)
                .reshape(batch, kvHeads, (long) length * groups, hd);
        NDArray k = keys.reshape(batch, length, kvHeads, hd).transpose(0, 2, 3, 1);
        NDArray v = values.reshape(batch, length, kvHeads, hd).transpose(0, 2, 1, 3);
        return q.matMul(k).add(mask).softmax(-1).matMul(v)
                .reshape(batch, kvHeads, length, groups, hd).transpose(0, 2, 1, 3, 4)
                .reshape((long) batch * length, (long) config.numHeads() * hd);
    }
}
