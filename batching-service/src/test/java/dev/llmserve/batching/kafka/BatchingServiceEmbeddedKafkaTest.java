package dev.llmserve.batching.kafka;

import dev.llmserve.batching.core.DefaultModel;
import dev.llmserve.protocol.kafka.Topics;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The Kafka contract on spring-kafka-test's embedded KRaft broker (no Docker needed).
 * JUnit does not inherit class-level conditions, so the model condition is repeated here.
 */
@EmbeddedKafka(partitions = 1, topics = {Topics.REQUESTS, Topics.CANCELS, DefaultModel.REPLY_TOPIC},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class BatchingServiceEmbeddedKafkaTest extends BatchingServiceKafkaContract {

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Override
    protected String bootstrapServers() {
        return broker.getBrokersAsString();
    }
}
