package dev.llmserve.draft.grpc;

import dev.llmserve.draft.metrics.ProposeMetrics;
import dev.llmserve.draft.model.ProposalExecutor;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.protocol.grpc.CopyBlocksRequest;
import dev.llmserve.protocol.grpc.CopyBlocksResponse;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeResponse;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import dev.llmserve.shard.ModelProperties;
import dev.llmserve.shard.ShardMapper;
import dev.llmserve.shard.ShardReplies;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Component;

/**
 * The draft's {@code ModelShard}: Info, Propose and CopyBlocks (the draft cache uses the target's block tables, so
 * a block copied in the target must be copied here too). Step is the target's job and answers UNIMPLEMENTED.
 * Bad input becomes INVALID_ARGUMENT.
 */
@Component
public class DraftShardService extends ModelShardGrpc.ModelShardImplBase {

    private final ModelInfo info;
    private final ProposalExecutor executor;
    private final ProposeMapper mapper;
    private final ShardReplies replies;

    public DraftShardService(ModelProperties model, ModelRunner runner, ProposalExecutor executor,
            ProposeMapper mapper, ProposeMetrics metrics) {
        this.info = ShardMapper.modelInfo(model, runner);
        this.executor = executor;
        this.mapper = mapper;
        this.replies = new ShardReplies("draft shard", metrics::recordRejected);
    }

    public ModelInfo modelInfo() {
        return info;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<ModelInfo> out) {
        replies.reply(out, () -> info);
    }

    @Override
    public void propose(ProposeRequest request, StreamObserver<ProposeResponse> out) {
        replies.reply(out, () -> mapper.toResponse(executor.propose(mapper.toRequests(request))));
    }

    @Override
    public void copyBlocks(CopyBlocksRequest request, StreamObserver<CopyBlocksResponse> out) {
        replies.reply(out, () -> ShardMapper.copyBlocks(request, executor::copyBlocks));
    }

    @Override
    public void step(StepRequest request, StreamObserver<StepResponse> out) {
        out.onError(Status.UNIMPLEMENTED.withDescription("draft-service serves Info, Propose and CopyBlocks; "
                + "steps go to the target's inference-service").asRuntimeException());
    }
}
