package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.SplittableRandom;

/**
 * Inverse-CDF sampling with one host-made uniform per row, searched on the tensor.
 */
public final class InverseCdf {

    private InverseCdf() {}

    /**
     * The uniform for one draw at one output position of a seeded row, in [0, 1 - 2^-24]: a pure
     * function of (seed, outputIndex, purpose), so batch composition and earlier calls do not matter.
     * Purposes are independent streams (distinct inputs to a bijective mix); SAMPLE's is the stream
     * plain sampling has always used.
     */
    public static float uniform(long seed, int outputIndex, DrawPurpose purpose) {
        long position = Integer.toUnsignedLong(outputIndex) | (long) purpose.ordinal() << 32;
        return new SplittableRandom(seed ^ mix64(position)).nextInt(1 << 24) * 0x1p-24f;
    }

    /**
     * Positions [B, 1] drawn from {@code weights} [B, N] (non-negative, not necessarily normalized),
     * with {@code uniforms} [B, 1]: the first position whose cumulative weight exceeds u × total.
     * Zero-weight positions are never chosen: their cumulative weight equals the one before them.
     */
    public static NDArray positions(NDArray weights, NDArray uniforms) {
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
