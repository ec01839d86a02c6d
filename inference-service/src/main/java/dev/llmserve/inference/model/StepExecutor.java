package dev.llmserve.inference.model;

import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.inference.metrics.StepMetrics;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The only way into the {@link ModelRunner}: it is not thread-safe and gRPC calls arrive on many
 * threads, so steps and block copies run one at a time (the engine bounds-checks them), and steps are timed.
 */
@Component
public class StepExecutor {

    private final ModelRunner runner;
    private final StepMetrics metrics;

    public StepExecutor(ModelRunner runner, StepMetrics metrics) {
        this.runner = runner;
        this.metrics = metrics;
    }

    public synchronized List<SequenceResult> step(List<SequenceStep> steps) {
        if (steps.isEmpty()) {
            return List.of();
        }
        long started = System.nanoTime();
        List<SequenceResult> results = runner.step(steps);
        metrics.recordStep(steps, System.nanoTime() - started);
        return results;
    }

    public synchronized void copyBlocks(int[] src, int[] dst) {
        runner.copyBlocks(src, dst);
    }
}
