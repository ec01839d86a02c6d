package dev.llmserve.batching.core;

import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.List;

/** Runs steps on an engine {@link ModelRunner} in the test's process, without a model service in between. */
public final class InProcessTargetModel implements TargetModel {

    private final ModelRunner runner;
    private final String modelName;
    private final String tokenizerHash;

    public InProcessTargetModel(ModelRunner runner, String modelName, String tokenizerHash) {
        this.runner = runner;
        this.modelName = modelName;
        this.tokenizerHash = tokenizerHash;
    }

    @Override
    public ShardInfo info() {
        return shardInfo(runner, modelName, tokenizerHash);
    }

    /** What an engine runner in this process serves. */
    public static ShardInfo shardInfo(ModelRunner runner, String modelName, String tokenizerHash) {
        return new ShardInfo(modelName, runner.config().vocabSize(), runner.config().maxPositions(),
                runner.cacheSpec().numBlocks(), runner.cacheSpec().blockSize(), runner.device(), tokenizerHash);
    }

    @Override
    public List<SequenceResult> step(List<SequenceStep> steps) {
        return runner.step(steps);
    }
}
