package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy against a smoothed target: the true class gets 1 − ε and each of the other K − 1
 * classes ε/(K − 1), so loss = (1 − ε)·(−log p_y) + ε/(K − 1)·Σ_{k≠y}(−log p_k). Smoothing keeps the
 * model from growing overconfident on a small corpus; ε = 0 is plain cross-entropy.
 */
public record LabelSmoothedCrossEntropy(double epsilon) {

    public LabelSmoothedCrossEntropy {
        if (epsilon < 0 || epsilon >= 1) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + epsilon);
        }
    }

    /** Mean loss over rows of logits [N, K] with int64 targets [N]. */
    public NDArray loss(NDArray logits, NDArray targets) {
        long classes = logits.getShape().get(1);
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray trueNll = logProbs.gather(targets.reshape(-1, 1), 1).reshape(-1).neg();
        if (epsilon == 0) {
            return trueNll.mean();
        }
        NDArray otherNll = logProbs.sum(new int[] {-1}).neg().sub(trueNll);
        return trueNll.mul((float) (1 - epsilon)).add(otherNll.mul((float) (epsilon / (classes - 1)))).mean();
    }
}
