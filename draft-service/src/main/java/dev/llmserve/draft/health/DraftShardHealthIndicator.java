package dev.llmserve.draft.health;

import dev.llmserve.draft.grpc.DraftShardService;
import dev.llmserve.shard.GrpcServerLifecycle;
import dev.llmserve.shard.ShardHealthIndicator;
import org.springframework.stereotype.Component;

/** The {@code draftShard} health component: UP once the draft model is loaded and {@code ModelShard} is listening. */
@Component
public class DraftShardHealthIndicator extends ShardHealthIndicator {

    public DraftShardHealthIndicator(GrpcServerLifecycle grpcServer, DraftShardService shard) {
        super(grpcServer, shard.modelInfo());
    }
}
