package dev.llmserve.gateway.batch.run;

import java.util.TreeSet;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Which partitions of the batches topic (and so which batches) this instance drives. Always UP: an
 * instance with no partition (more gateways than partitions) serves the API all the same.
 */
@Component("batchDriverHealthIndicator")
class BatchDriverHealth implements HealthIndicator {

    private final BatchDriver driver;

    BatchDriverHealth(BatchDriver driver) {
        this.driver = driver;
    }

    @Override
    public Health health() {
        return Health.up().withDetail("partitions", new TreeSet<>(driver.ownedPartitions())).build();
    }
}
