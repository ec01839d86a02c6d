package dev.llmserve.tools.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import dev.llmserve.tools.train.LabelSmoothedCrossEntropy;
import dev.llmserve.tools.train.CrossEntropyError;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistillationLossTest {

    @Test
    void theSoftLossIsZeroWhenTheStudentEqualsTheTeacher() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = randomLogits(manager, 6, 11, 1);
            NDArray targets = manager.create(new long[] {0, 3, 10, 2, 2, 7});
            DistillationLoss pureSoft = new DistillationLoss(2.0, 1.0, new LabelSmoothedCrossEntropy(0.1));
            // the same values through the same ops on both sides: both log-softmaxes round identically, so the KL
            // is exactly 0
            assertEquals(0, pureSoft.loss(logits, logits.duplicate(), targets).getFloat(), 0);
            NDArray other = randomLogits(manager, 6, 11, 2);
            assertTrue(pureSoft.loss(other, logits, targets).getFloat() > 0.01);
        }
    }

    @Test
    void mixesTheScaledKlWithTheHardLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(new float[] {0, 1, 2}, new Shape(1, 3));
            NDArray teacher = manager.create(new float[] {2, 1, 0}, new Shape(1, 3));
            NDArray target = manager.create(new long[] {1});
            double tau = 2.0;
            double[] p = softmax(new double[] {1, 0.5, 0});
            double[] q = softmax(new double[] {0, 0.5, 1});
            double kl = 0;
            for (int i = 0; i < 3; i++) {
                kl += p[i] * Math.log(p[i] / q[i]);
            }
            double hard = -Math.log(softmax(new double[] {0, 1, 2})[1]);
            double expected = 0.3 * tau * tau * kl + 0.7 * hard;
            DistillationLoss loss = new DistillationLoss(tau, 0.3, new LabelSmoothedCrossEntropy(0));
            // Each of the 3 teacher and student log-probabilities is off by at most e (logSoftmax over 3, of
            // magnitude below 3 after dividing by τ), so each KL term p·(t − s) by p·(2e + u·|t − s|) for the
            // difference plus (e + 3u)·|p·(t − s)| for exp (e, one ulp) and the product; summing 3 terms, scaling
            // (a rounded constant and a product), the hard loss's own bound, its scaling and the final sum round
            // at most 8 more times, each of at most the loss's magnitude.
            double e = FloatErrorModel.logSoftmax(3, 3);
            double klError = 0;
            double klMagnitude = 0;
            for (int i = 0; i < 3; i++) {
                double term = Math.abs(p[i] * Math.log(p[i] / q[i]));
                klError += p[i] * (2 * e + FloatErrorModel.U * Math.abs(Math.log(p[i] / q[i])))
                        + (e + 3 * FloatErrorModel.U) * term;
                klMagnitude += term;
            }
            double hardError = CrossEntropyError.bound(new float[] {0, 1, 2}, new long[] {1}, 3, 0);
            double bound = 0.3 * tau * tau * klError + 0.7 * hardError
                    + FloatErrorModel.worstCase(8) * (0.3 * tau * tau * klMagnitude + 0.7 * hard);
            BoundCheck.assertWithin("distillation loss vs double", Math.abs(loss.loss(student, teacher, target)
                    .getFloat() - expected), bound);
        }
    }

    private static double[] softmax(double[] x) {
        double sum = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i]);
            sum += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    private static NDArray randomLogits(NDManager manager, int rows, int classes, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * classes];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 2;
        }
        return manager.create(values, new Shape(rows, classes));
    }
}
