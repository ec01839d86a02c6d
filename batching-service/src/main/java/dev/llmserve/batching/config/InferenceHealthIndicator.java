package dev.llmserve.batching.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP once the model shard has answered Info and the engine runs; DOWN while it is awaited. */
public final class InferenceHealthIndicator implements HealthIndicator {

    private final EngineStartup startup;
    private final String target;

    public InferenceHealthIndicator(EngineStartup startup, String target) {
        this.startup = startup;
        this.target = target;
    }

    @Override
    public Health health() {
        return startup.shard()
                .map(info -> Health.up()
                        .withDetail("target", target)
                        .withDetail("model", info.modelName())
                        .withDetail("contextLength", info.contextLength())
                        .withDetail("kvBlocks", info.numBlocks())
                        .withDetail("blockSize", info.blockSize())
                        .build())
                .orElseGet(() -> Health.down().withDetail("target", target)
                        .withDetail("reason", "waiting for the model shard's Info").build());
    }
}
