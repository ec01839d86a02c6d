package dev.llmserve.gateway.kafka;

import dev.llmserve.gateway.GatewayProperties;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Declares this instance's reply topic; Spring's KafkaAdmin creates it at start-up. */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

    /** Token events are only useful while their request runs; old ones need not pile up. */
    private static final Duration REPLY_RETENTION = Duration.ofHours(1);

    @Bean
    ReplyTopic replyTopic(GatewayProperties properties) {
        return new ReplyTopic(Topics.tokensFor(properties.instanceId()), properties.instanceId());
    }

    /** One partition: events then arrive in the order the scheduler published them. */
    @Bean
    NewTopic replyTopicDeclaration(ReplyTopic replyTopic) {
        return TopicBuilder.name(replyTopic.name())
                .partitions(1)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(REPLY_RETENTION.toMillis()))
                .build();
    }
}
