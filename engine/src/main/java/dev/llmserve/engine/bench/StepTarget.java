package dev.llmserve.engine.bench;

import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.List;

/** What executes a decode loop's steps: a {@link dev.llmserve.engine.step.ModelRunner}'s {@code step}. */
@FunctionalInterface
public interface StepTarget {

    List<SequenceResult> step(List<SequenceStep> steps);
}
