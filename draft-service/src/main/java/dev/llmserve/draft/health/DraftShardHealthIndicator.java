package dev.llmserve.draft.health;

import dev.llmserve.draft.grpc.DraftShardService;
import dev.llmserve.draft.grpc.GrpcServerLifecycle;
import dev.llmserve.protocol.grpc.ModelInfo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * UP once the draft model is loaded and {@code ModelShard} is listening: the signal {@code llmserve up}
 * and the batching-service wait for. The model loads while the context starts, so its presence is
 * implied by this bean existing; the gRPC server is what can still be down.
 */
@Component
public class DraftShardHealthIndicator implements HealthIndicator {

    private final GrpcServerLifecycle grpcServer;
    private final DraftShardService shard;

    public DraftShardHealthIndicator(GrpcServerLifecycle grpcServer, DraftShardService shard) {
        this.grpcServer = grpcServer;
        this.shard = shard;
    }

    @Override
    public Health health() {
        ModelInfo info = shard.modelInfo();
        Health.Builder health = grpcServer.isRunning() ? Health.up() : Health.down();
        return health
                .withDetail("model", info.getModelName())
                .withDetail("device", info.getDevice())
                .withDetail("grpcPort", grpcServer.port())
                .withDetail("kvBlocks", info.getNumBlocks())
                .withDetail("blockSize", info.getBlockSize())
                .withDetail("tokenizerHash", info.getTokenizerHash())
                .build();
    }
}
