package dev.llmserve.gateway.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health is DOWN until the reply topic is assigned to this instance's consumer: before that, token
 * events of an accepted request could be missed (the consumer starts at the latest offset).
 */
@Component("replyTopicHealthIndicator")
class ReplyTopicReadiness implements HealthIndicator {

    private final AtomicBoolean ready = new AtomicBoolean();
    private final ReplyTopic replyTopic;

    ReplyTopicReadiness(ReplyTopic replyTopic) {
        this.replyTopic = replyTopic;
    }

    void markReady() {
        ready.set(true);
    }

    @Override
    public Health health() {
        Health.Builder health = ready.get() ? Health.up() : Health.down();
        return health.withDetail("topic", replyTopic.name()).build();
    }
}
