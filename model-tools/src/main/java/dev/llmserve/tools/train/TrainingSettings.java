package dev.llmserve.tools.train;

import dev.llmserve.engine.weights.TensorDType;
import java.nio.file.Path;

/**
 * Everything a training run depends on. Together with the corpus and tokenizer it determines the
 * result: initialisation, batches and dropout-free updates all derive from {@code seed}.
 */
public record TrainingSettings(
        ModelShape shape,
        int sequenceLength,
        int batchSize,
        int steps,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double weightDecay,
        double beta1,
        double beta2,
        double gradientClip,
        double labelSmoothing,
        long seed,
        int evalEvery,
        int checkpointEvery,
        TensorDType saveDtype,
        Path out) {

    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(learningRate, minLearningRate, warmupSteps, steps);
    }

    public long tokensPerStep() {
        return (long) sequenceLength * batchSize;
    }
}
