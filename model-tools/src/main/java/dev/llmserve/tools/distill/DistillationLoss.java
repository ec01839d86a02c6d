package dev.llmserve.tools.distill;

import ai.djl.ndarray.NDArray;
import dev.llmserve.tools.train.LabelSmoothedCrossEntropy;

/**
 * Hinton et al.'s distillation objective: α·τ²·KL(teacher_τ ‖ student_τ) + (1 − α)·hard loss, where
 * x_τ = softmax(logits/τ). The τ² keeps the soft term's gradients on the scale of the hard term's as τ
 * grows; a draft trained this way learns the target's whole distribution, which is what speculative
 * acceptance min(1, p/q) rewards.
 */
public record DistillationLoss(double temperature, double softWeight, LabelSmoothedCrossEntropy hardLoss) {

    public DistillationLoss {
        if (temperature <= 0) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        if (softWeight < 0 || softWeight > 1) {
            throw new IllegalArgumentException("the soft-loss weight must be in [0, 1], got " + softWeight);
        }
    }

    /** Mean loss over rows of student and teacher logits [N, K] with int64 targets [N]. */
    public NDArray loss(NDArray studentLogits, NDArray teacherLogits, NDArray targets) {
        // float constants: a double would promote the 0-d results below to float64
        float tau = (float) temperature;
        NDArray teacherLogProbs = teacherLogits.stopGradient().div(tau).logSoftmax(-1);
        NDArray studentLogProbs = studentLogits.div(tau).logSoftmax(-1);
        NDArray kl = teacherLogProbs.exp().mul(teacherLogProbs.sub(studentLogProbs)).sum(new int[] {-1}).mean();
        NDArray soft = kl.mul((float) (softWeight * temperature * temperature));
        if (softWeight == 1) {
            return soft;
        }
        return soft.add(hardLoss.loss(studentLogits, targets).mul((float) (1 - softWeight)));
    }
}
