package dev.llmserve.batching.kafka;

import dev.llmserve.batching.core.Stories260K;
import dev.llmserve.protocol.kafka.Topics;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** The Kafka contract on spring-kafka-test's embedded KRaft broker (no Docker needed). */
@EmbeddedKafka(partitions = 1, topics = {Topics.REQUESTS, Topics.CANCELS, Stories260K.REPLY_TOPIC},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class BatchingServiceEmbeddedKafkaTest extends BatchingServiceKafkaContract {

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Override
    protected String bootstrapServers() {
        return broker.getBrokersAsString();
    }
}
