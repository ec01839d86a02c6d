package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.config.RopeScaling;

/**
 * Hugging Face's rotate-half RoPE: x·cos + rotate_half(x)·sin. Tables of cos and sin for every
 * position are built once; rotate_half is a fixed signed permutation of the head dimension, so it is
 * one small matmul rather than a split, a negation and a concat.
 */
public final class RotaryEmbedding {

    private final NDArray cos;
    private final NDArray sin;
    private final NDArray rotateHalf;

    public RotaryEmbedding(ModelConfig config, NDManager manager) {
        int hd = config.headDim();
        int half = hd / 2;
        double[] inv = RopeScaling.inverseFrequencies(hd, config.ropeTheta(), config.ropeScaling());
        int positions = config.maxPositions();
        float[] cosTable = new float[positions * hd];
        float[] sinTable = new float[positions * hd];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * inv[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cosTable[p * hd + i] = c;
                cosTable[p * hd + i + half] = c;
                sinTable[p * hd + i] = s;
                sinTable[p * hd + i + half] = s;
            }
        }
        float[] rot = new float[hd * hd];
        for (int i = 0; i < half; i++) {
            rot[(i + half) * hd + i] = -1f; // out[i] = -x[i + half]
            rot[i * hd + i + half] = 1f; // out[i + half] = x[i]
        }
        this.cos = manager.create(cosTable, new Shape(positions, hd));
        this.sin = manager.create(sinTable, new Shape(positions, hd));
        this.rotateHalf = manager.create(rot, new Shape(hd, hd));
    }

    /** [maxPositions, headDim] cos table, each angle twice (i and i + headDim/2). */
    NDArray cos() {
        return cos;
    }

    /** [maxPositions, headDim] sin table, laid out as {@link #cos()}. */
    NDArray sin() {
        return sin;
    }

    /** [headDim, headDim] signed permutation R with x·R = rotate_half(x). */
    NDArray rotateHalf() {
        return rotateHalf;
    }

    /** cos and sin rows for the step's positions, shaped [T, 1, headDim] to broadcast over heads. */
    public NDArray[] tables(NDManager step, NDArray positions) {
        long t = positions.size();
        long hd = cos.getShape().get(1);
        return new NDArray[] {
            cos.get(step, new NDIndex("{}", positions)).reshape(t, 1, hd),
            sin.get(step, new NDIndex("{}", positions)).reshape(t, 1, hd)
        };
    }

    /** x: [T, heads, headDim]. */
    public NDArray apply(NDArray x, NDArray[] tables) {
        return x.mul(tables[0]).addi(x.matMul(rotateHalf).muli(tables[1]));
    }
}
