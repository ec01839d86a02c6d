package dev.llmserve.tools.train;

import dev.llmserve.engine.testing.FloatErrorModel;

/** How far {@link LabelSmoothedCrossEntropy}'s float32 loss may be from its double value. */
public final class CrossEntropyError {

    private CrossEntropyError() {}

    /**
     * Bound on |Δloss| over rows of logits [R, K] against the loss in double: each log-probability is off
     * by at most e (the row's largest {@link FloatErrorModel#logSoftmax}). The true class's term carries
     * one e; the other classes' sum, computed as −Σ_k log p_k − (−log p_y), carries (K + 1)·e plus γ_(K+1)
     * of the magnitudes it sums; weighting, adding and averaging over R rows round at most R + 5 times (the
     * two weights themselves rounded to float32 among them), each of at most the loss.
     */
    public static double bound(float[] logits, long[] targets, int classes, double epsilon) {
        int rows = targets.length;
        double other = epsilon / (classes - 1);
        double total = 0;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[r * classes + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(logits[r * classes + k] - max);
            }
            double logZ = max + Math.log(sum);
            double e = 0;
            double magnitudes = 0;
            for (int k = 0; k < classes; k++) {
                double nll = logZ - logits[r * classes + k];
                e = Math.max(e, FloatErrorModel.logSoftmax(classes, Math.abs(logits[r * classes + k]) + Math.abs(max)
                        + nll));
                magnitudes += nll;
            }
            double trueNll = logZ - logits[r * classes + (int) targets[r]];
            total += (1 - epsilon) * e
                    + other * ((classes + 1) * e + FloatErrorModel.worstCase(classes + 1) * (magnitudes + trueNll));
            loss += (1 - epsilon) * trueNll + other * (magnitudes - trueNll);
        }
        return total / rows + FloatErrorModel.worstCase(rows + 5) * loss / rows;
    }
}
