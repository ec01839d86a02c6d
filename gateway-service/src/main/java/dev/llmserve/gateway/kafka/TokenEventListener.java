package dev.llmserve.gateway.kafka;

import dev.llmserve.gateway.generation.InFlightRequests;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.TokenEventBatch;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's reply topic and routes each token event to its waiting request. The
 * container resolves the consumer's positions before it reports the assignment, so once
 * {@link ReplyTopicReadiness} is ready no event published afterwards can be skipped.
 */
@Component
class TokenEventListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(TokenEventListener.class);

    private final InFlightRequests inFlight;
    private final ReplyTopicReadiness readiness;

    TokenEventListener(InFlightRequests inFlight, ReplyTopicReadiness readiness) {
        this.inFlight = inFlight;
        this.readiness = readiness;
    }

    @KafkaListener(topics = "#{@replyTopic.name()}", groupId = "#{@replyTopic.consumerGroup()}")
    void onBatch(byte[] record) {
        TokenEventBatch batch;
        try {
            batch = MessageCodec.decodeTokenEvents(record);
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable token event batch: {}", e.getMessage());
            return;
        }
        batch.events().forEach(inFlight::route);
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        log.info("Reading token events from {} at offsets {}", assignments.keySet(), assignments.values());
        readiness.markReady();
    }
}
