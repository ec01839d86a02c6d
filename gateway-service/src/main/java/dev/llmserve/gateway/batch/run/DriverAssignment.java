package dev.llmserve.gateway.batch.run;

import dev.llmserve.gateway.batch.BatchTopics;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Membership of the {@code llmserve-gateway-batch-drivers} consumer group on the batches topic. Its
 * records are not what matters here ({@code StoreReader} reads them all); its partition assignment
 * is: each partition belongs to one live gateway instance, which drives the batches stored in it.
 * When an instance leaves (or its session expires), Kafka hands its partitions to the others.
 */
@Component
class DriverAssignment implements ConsumerSeekAware {

    private final BatchDriver driver;

    DriverAssignment(BatchDriver driver) {
        this.driver = driver;
    }

    @KafkaListener(topics = BatchTopics.BATCHES, groupId = BatchTopics.DRIVER_GROUP,
            properties = "auto.offset.reset=latest")
    void onRecord(ConsumerRecord<String, byte[]> record) {
        // the assignment is the point of this listener
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        driver.assigned(assignments.keySet().stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        driver.revoked(partitions.stream().map(TopicPartition::partition).toList());
    }
}
