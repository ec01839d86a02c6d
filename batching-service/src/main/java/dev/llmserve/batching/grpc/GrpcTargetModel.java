package dev.llmserve.batching.grpc;

import dev.llmserve.batching.core.ShardInfo;
import dev.llmserve.batching.core.TargetModel;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs steps on a remote model shard (inference-service) through the {@code ModelShard} RPCs. */
public final class GrpcTargetModel implements TargetModel {

    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(5);

    private final ModelShardGrpc.ModelShardBlockingStub stub;
    private final Duration stepTimeout;

    public GrpcTargetModel(Channel channel, Duration stepTimeout) {
        this.stub = ModelShardGrpc.newBlockingStub(channel);
        this.stepTimeout = stepTimeout;
    }

    @Override
    public ShardInfo info() {
        return StepClientMapper.shardInfo(stub.withDeadlineAfter(INFO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .info(InfoRequest.getDefaultInstance()));
    }

    @Override
    public List<SequenceResult> step(List<SequenceStep> steps) {
        return StepClientMapper.results(steps, stub.withDeadlineAfter(stepTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .step(StepClientMapper.request(steps)));
    }
}
