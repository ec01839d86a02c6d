package dev.llmserve.gateway.batch.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN until the batch topics have been read: before that the Batch API could answer from a partial view. */
@Component("batchStoreHealthIndicator")
class BatchStoreHealth implements HealthIndicator {

    private final BatchStore store;

    BatchStoreHealth(BatchStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        return (store.loaded() ? Health.up() : Health.down()).build();
    }
}
