package dev.llmserve.batching.config;

import java.util.Locale;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP once the model shard (and the draft shard, when one is configured) has answered Info and the
 * engine runs; DOWN while they are awaited, or with the reason the service refused to start.
 */
public final class InferenceHealthIndicator implements HealthIndicator {

    private final EngineStartup startup;
    private final String target;
    private final SpeculativeSettings speculative;

    public InferenceHealthIndicator(EngineStartup startup, String target, SpeculativeSettings speculative) {
        this.startup = startup;
        this.target = target;
        this.speculative = speculative;
    }

    @Override
    public Health health() {
        String mode = speculative.mode().name().toLowerCase(Locale.ROOT);
        return startup.shard()
                .map(info -> Health.up()
                        .withDetail("target", target)
                        .withDetail("model", info.modelName())
                        .withDetail("contextLength", info.contextLength())
                        .withDetail("kvBlocks", info.numBlocks())
                        .withDetail("blockSize", info.blockSize())
                        .withDetail("speculative", mode)
                        .build())
                .orElseGet(() -> startup.failure()
                        .map(reason -> Health.down().withDetail("target", target).withDetail("error", reason).build())
                        .orElseGet(() -> Health.down().withDetail("target", target)
                                .withDetail("reason", "waiting for the model shards' Info").build()));
    }
}
