package dev.llmserve.inference.health;

import dev.llmserve.inference.grpc.ModelShardService;
import dev.llmserve.shard.GrpcServerLifecycle;
import dev.llmserve.shard.ShardHealthIndicator;
import org.springframework.stereotype.Component;

/** The {@code modelShard} health component: UP once the model is loaded and {@code ModelShard} is listening. */
@Component
public class ModelShardHealthIndicator extends ShardHealthIndicator {

    public ModelShardHealthIndicator(GrpcServerLifecycle grpcServer, ModelShardService shard) {
        super(grpcServer, shard.modelInfo());
    }
}
