package dev.llmserve.batching.core;

import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.List;

/** Runs steps on a model shard: over gRPC against inference-service (tests also step an engine in process). */
public interface StepExecutor {

    /** The shard's model and KV geometry; throws while the shard cannot be reached. */
    ShardInfo info();

    /** One forward step over the given sequences; one result per sequence, in order. */
    List<SequenceResult> step(List<SequenceStep> steps);
}
