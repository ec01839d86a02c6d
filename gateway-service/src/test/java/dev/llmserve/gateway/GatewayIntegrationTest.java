package dev.llmserve.gateway;

import dev.llmserve.protocol.kafka.Topics;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The whole gateway on a random port, serving brown-6m's real tokenizer, against an embedded
 * KRaft broker. Test classes extend {@link GatewayTestSupport} for
 * the model path and the Kafka and HTTP helpers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.kafka.consumer.auto-offset-reset=earliest",
                "logging.level.kafka=WARN",
                "logging.level.org.apache.kafka=WARN",
                "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(partitions = 1, topics = {Topics.REQUESTS, Topics.CANCELS})
public @interface GatewayIntegrationTest {}
