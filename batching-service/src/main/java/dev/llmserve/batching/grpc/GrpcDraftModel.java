package dev.llmserve.batching.grpc;

import dev.llmserve.batching.core.ShardInfo;
import dev.llmserve.batching.speculative.DraftModel;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A remote draft model (draft-service) through the {@code ModelShard} Info and Propose RPCs. */
public final class GrpcDraftModel implements DraftModel {

    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(5);

    private final ModelShardGrpc.ModelShardBlockingStub stub;
    private final Duration proposeTimeout;

    public GrpcDraftModel(Channel channel, Duration proposeTimeout) {
        this.stub = ModelShardGrpc.newBlockingStub(channel);
        this.proposeTimeout = proposeTimeout;
    }

    @Override
    public ShardInfo info() {
        return StepClientMapper.shardInfo(stub.withDeadlineAfter(INFO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .info(InfoRequest.getDefaultInstance()));
    }

    @Override
    public List<DraftProposal> propose(List<DraftRequest> requests) {
        return ProposeClientMapper.proposals(requests, stub.withDeadlineAfter(proposeTimeout.toMillis(),
                TimeUnit.MILLISECONDS).propose(ProposeClientMapper.request(requests)));
    }
}
