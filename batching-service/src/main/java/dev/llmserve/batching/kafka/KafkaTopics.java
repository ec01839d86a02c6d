package dev.llmserve.batching.kafka;

import dev.llmserve.batching.config.BatchingSettings;
import dev.llmserve.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Declares the topics this service reads. Requests are partitioned: each batching-service instance
 * of the group owns some partitions; cancels go to every instance, so one partition is enough.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

    @Bean
    NewTopic requestsTopic(BatchingSettings settings) {
        return TopicBuilder.name(Topics.REQUESTS).partitions(settings.requestPartitions()).build();
    }

    @Bean
    NewTopic cancelsTopic() {
        return TopicBuilder.name(Topics.CANCELS).partitions(1).build();
    }
}
