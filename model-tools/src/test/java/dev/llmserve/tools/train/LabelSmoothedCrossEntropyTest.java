package dev.llmserve.tools.train;

import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.testing.BoundCheck;
import org.junit.jupiter.api.Test;

class LabelSmoothedCrossEntropyTest {

    @Test
    void equalsTheClosedFormOnAHandComputedExample() {
        // logits (1, 2, 3), true class 0, K = 3, ε = 0.1:
        // log Z = log(e + e² + e³) = 3.40760596; −log p = (2.40760596, 1.40760596, 0.40760596)
        // loss = 0.9·2.40760596 + 0.05·(1.40760596 + 0.40760596) = 2.25760596
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray target = manager.create(new long[] {0});
            // the hand values carry 9 digits: half a unit of the last one on top of float32's error
            float[] values = {1, 2, 3};
            long[] targets = {0};
            BoundCheck.assertWithin("smoothed cross-entropy, hand example ε = 0.1",
                    Math.abs(new LabelSmoothedCrossEntropy(0.1).loss(logits, target).getFloat() - 2.25760596),
                    CrossEntropyError.bound(values, targets, 3, 0.1) + 5e-9);
            BoundCheck.assertWithin("cross-entropy, hand example",
                    Math.abs(new LabelSmoothedCrossEntropy(0).loss(logits, target).getFloat() - 2.40760596),
                    CrossEntropyError.bound(values, targets, 3, 0) + 5e-9);
        }
    }

    @Test
    void averagesOverRowsAndMatchesTheDefinitionOnRandomLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            java.util.Random random = new java.util.Random(3);
            int rows = 5;
            int classes = 7;
            float[] values = new float[rows * classes];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 3);
            }
            long[] targets = {0, 6, 3, 3, 1};
            double epsilon = 0.2;
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, values[r * classes + k]);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(values[r * classes + k] - max);
                }
                double logZ = max + Math.log(sum);
                for (int k = 0; k < classes; k++) {
                    double weight = k == targets[r] ? 1 - epsilon : epsilon / (classes - 1);
                    expected += weight * (logZ - values[r * classes + k]);
                }
            }
            expected /= rows;
            NDArray loss = new LabelSmoothedCrossEntropy(epsilon)
                    .loss(manager.create(values, new Shape(rows, classes)), manager.create(targets));
            BoundCheck.assertWithin("smoothed cross-entropy, random logits", Math.abs(loss.getFloat() - expected),
                    CrossEntropyError.bound(values, targets, classes, epsilon));
        }
    }

    @Test
    void rejectsSmoothingOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new LabelSmoothedCrossEntropy(1.0));
        assertThrows(IllegalArgumentException.class, () -> new LabelSmoothedCrossEntropy(-0.1));
    }
}
