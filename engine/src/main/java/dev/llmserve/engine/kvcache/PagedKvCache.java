package dev.llmserve.engine.kvcache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.config.ModelConfig;

/**
 * K and V for every layer, each a [numBlocks × blockSize, kvHeads, headDim] tensor allocated once.
 * Token slot {@code s} of block {@code b} is row {@code b·blockSize + s}. The cache never chooses
 * blocks: callers pass slot rows, derived from the block tables the block manager owns.
 */
public final class PagedKvCache {

    private final KvCacheSpec spec;
    private final NDArray[] keys;
    private final NDArray[] values;

    public PagedKvCache(ModelConfig config, KvCacheSpec spec, NDManager manager) {
        this.spec = spec;
        Shape shape = new Shape(spec.numSlots(), config.numKvHeads(), config.headDim());
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(shape, DataType.FLOAT32);
            values[l] = manager.zeros(shape, DataType.FLOAT32);
        }
    }

    public KvCacheSpec spec() {
        return spec;
    }

    /** Layer {@code layer}'s K tensor [numSlots, kvHeads, headDim], for forward passes that write it in place. */
    public NDArray keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s V tensor, shaped as {@link #keys(int)}. */
    public NDArray values(int layer) {
        return values[layer];
    }

    public int numLayers() {
        return keys.length;
    }

    /** Writes new rows in place. k, v: [T, kvHeads, headDim]; slots: [T] int64 row ids. */
    public void write(int layer, NDArray slots, NDArray k, NDArray v) {
        NDIndex index = new NDIndex("{}", slots);
        keys[layer].set(index, k);
        values[layer].set(index, v);
    }

    /** Rows for the given slot ids, [N, kvHeads, headDim], owned by {@code step}. */
    public NDArray readKeys(NDManager step, int layer, NDArray slots) {
        return keys[layer].get(step, new NDIndex("{}", slots));
    }

    public NDArray readValues(NDManager step, int layer, NDArray slots) {
        return values[layer].get(step, new NDIndex("{}", slots));
    }

    /**
     * Copies whole blocks: {@code dst[i]} becomes a copy of {@code src[i]} in every layer (how a
     * forked sequence gets its own copy of a shared, partly written last block).
     */
    public void copyBlocks(NDManager step, int[] src, int[] dst) {
        if (src.length != dst.length) {
            throw new IllegalArgumentException("src and dst block lists differ in length");
        }
        if (src.length == 0) {
            return;
        }
        long[] from = new long[src.length * spec.blockSize()];
        long[] to = new long[from.length];
        for (int i = 0; i < src.length; i++) {
            for (int s = 0; s < spec.blockSize(); s++) {
                from[i * spec.blockSize() + s] = (long) src[i] * spec.blockSize() + s;
                to[i * spec.blockSize() + s] = (long) dst[i] * spec.blockSize() + s;
            }
        }
        NDArray fromRows = step.create(from);
        NDIndex toRows = new NDIndex("{}", step.create(to));
        for (int l = 0; l < keys.length; l++) {
            keys[l].set(toRows, keys[l].get(step, new NDIndex("{}", fromRows)));
            values[l].set(toRows, values[l].get(step, new NDIndex("{}", fromRows)));
        }
    }
}
