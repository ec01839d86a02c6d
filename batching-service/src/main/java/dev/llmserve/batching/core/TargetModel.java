package dev.llmserve.batching.core;

import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.List;

/**
 * The target model the scheduler steps, as the batching side sees it: inference-service over gRPC
 * ({@code grpc.GrpcTargetModel}); tests also step an engine in this process ({@code InProcessTargetModel}).
 * The shard's own side of a step is inference-service's {@code StepExecutor}.
 */
public interface TargetModel {

    /** The shard's model and KV geometry; throws while the shard cannot be reached. */
    ShardInfo info();

    /** One forward step over the given sequences; one result per sequence, in order. */
    List<SequenceResult> step(List<SequenceStep> steps);
}
