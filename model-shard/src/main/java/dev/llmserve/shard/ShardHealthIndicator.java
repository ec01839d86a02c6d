package dev.llmserve.shard;

import dev.llmserve.protocol.grpc.ModelInfo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP once the model is loaded and {@code ModelShard} is listening: the signal {@code llmserve up}
 * and the batching-service wait for. The model loads while the context starts, so its presence is
 * implied by this bean existing; the gRPC server is what can still be down. Each service subclasses it as a
 * component, whose bean name names the health component ({@code modelShard}, {@code draftShard}).
 */
public abstract class ShardHealthIndicator implements HealthIndicator {

    private final GrpcServerLifecycle grpcServer;
    private final ModelInfo info;

    protected ShardHealthIndicator(GrpcServerLifecycle grpcServer, ModelInfo info) {
        this.grpcServer = grpcServer;
        this.info = info;
    }

    @Override
    public Health health() {
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
