package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.SplittableRandom;

/**
 * Inverse-CDF sampling with one host-made uniform per row, searched on the tensor.
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
     * Positions [B, 1] drawn from {@code weights} [B, N] (non-negative, not necessarily normalized),
     * with {@code uniforms} [B, 1]: the first position whose cumulative weight exceeds u × total.
     * Zero-weight positions are never chosen: their cumulative weight equals the one before them.
     */
    static NDArray positions(NDArray weights, NDArray uniforms) {
        long n = weights.getShape().get(1);
        NDArray cumulative = weights.cumSum(1);
        NDArray total = cumulative.get(new NDIndex().addAllDim().addSliceDim(n - 1, n));
        // u < 1 makes u × total < total, so the count stays < N.
        return cumulative.lte(total.mul(uniforms)).sum(new int[] {1}, true);
    }

    /** Stafford's mix 13 (as in SplittableRandom), so that nearby positions give unrelated seeds. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
