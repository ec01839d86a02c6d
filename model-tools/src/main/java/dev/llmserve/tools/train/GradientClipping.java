package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Scales all gradients together so their global L2 norm is at most {@code maxNorm}; a spike can't wreck a step. */
public record GradientClipping(double maxNorm) {

    /** Returns the norm before clipping. */
    public double clip(Map<String, NDArray> gradients) {
        double squares = 0;
        for (NDArray g : gradients.values()) {
            squares += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(squares);
        if (maxNorm > 0 && norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            gradients.values().forEach(g -> g.muli(scale));
        }
        return norm;
    }
}
