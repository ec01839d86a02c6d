package dev.llmserve.batching.kafka;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka contract on the apache/kafka-native container, where a Docker engine runs.
 * JUnit does not inherit class-level conditions, so the model condition is repeated here.
 */
@Testcontainers(disabledWithoutDocker = true)
class BatchingServiceKafkaContainerTest extends BatchingServiceKafkaContract {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka-native:4.1.2");

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", KAFKA::getBootstrapServers);
    }

    @Override
    protected String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
