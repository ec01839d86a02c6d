package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Draws one token per row by inverse CDF, with one host-made uniform per row. The search runs in
 * vocabulary order (no sort needed), so a row's token depends only on its own distribution and its
 * uniform, never on which filters other rows of the batch use.
 */
final class InverseCdf {

    private InverseCdf() {}

    /**
     * The uniform for one output position of a seeded row, in [0, 1 - 2^-24]: a pure function of
     * (seed, outputIndex), so batch composition and earlier calls do not matter.
     */
    static float uniform(long seed, int outputIndex) {
        return new SplittableRandom(seed ^ mix64(outputIndex)).nextInt(1 << 24) * 0x1p-24f;
    }

    /**
     * Token ids drawn from {@code weights} {@code [B, V]} (non-negative, not necessarily normalized):
     * the first token whose cumulative weight exceeds {@code u × total}. Zero-weight tokens are never
     * chosen: their cumulative weight equals the one before them.
     */
    static long[] draw(NDArray weights, float[] uniforms, NDManager manager) {
        long vocab = weights.getShape().get(1);
        NDArray cumulative = weights.cumSum(1);
        NDArray total = cumulative.get(new NDIndex().addAllDim().addSliceDim(vocab - 1, vocab));
        // u < 1 makes u × total < total, so the count below stays < vocab.
        NDArray target = total.mul(manager.create(uniforms, new Shape(uniforms.length, 1)));
        return cumulative.lte(target).sum(new int[] {1}).toLongArray();
    }

    /** Stafford's mix 13 (as in SplittableRandom), so that nearby positions give unrelated seeds. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
