package dev.llmserve.inference.grpc;

import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.inference.metrics.StepMetrics;
import dev.llmserve.inference.model.StepExecutor;
import dev.llmserve.protocol.grpc.CopyBlocksRequest;
import dev.llmserve.protocol.grpc.CopyBlocksResponse;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import dev.llmserve.shard.ModelProperties;
import dev.llmserve.shard.ShardMapper;
import dev.llmserve.shard.ShardReplies;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Component;

/** The {@code ModelShard} RPCs: map, execute, map back; bad input becomes INVALID_ARGUMENT. */
@Component
public class ModelShardService extends ModelShardGrpc.ModelShardImplBase {

    private final ModelInfo info;
    private final StepExecutor executor;
    private final StepMapper mapper;
    private final ShardReplies replies;

    public ModelShardService(ModelProperties model, ModelRunner runner, StepExecutor executor, StepMapper mapper,
            StepMetrics metrics) {
        this.info = ShardMapper.modelInfo(model, runner);
        this.executor = executor;
        this.mapper = mapper;
        this.replies = new ShardReplies("model shard", metrics::recordRejected);
    }

    public ModelInfo modelInfo() {
        return info;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<ModelInfo> out) {
        replies.reply(out, () -> info);
    }

    @Override
    public void step(StepRequest request, StreamObserver<StepResponse> out) {
        replies.reply(out, () -> mapper.toResponse(executor.step(mapper.toSteps(request))));
    }

    @Override
    public void copyBlocks(CopyBlocksRequest request, StreamObserver<CopyBlocksResponse> out) {
        replies.reply(out, () -> ShardMapper.copyBlocks(request, executor::copyBlocks));
    }
}
