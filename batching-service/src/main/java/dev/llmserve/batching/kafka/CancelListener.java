package dev.llmserve.batching.kafka;

import dev.llmserve.batching.core.Inbox;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes cancels from Kafka into the engine loop's inbox. Each instance reads every cancel (a group
 * of its own, from the latest offset: old cancels are moot), since it cannot know which instance
 * runs the request; the engine ignores ids it does not hold.
 */
@Component
public class CancelListener {

    public static final String ID = "llmserve-cancels";
    private static final Logger log = LoggerFactory.getLogger(CancelListener.class);

    private final Inbox inbox;

    public CancelListener(Inbox inbox) {
        this.inbox = inbox;
    }

    @KafkaListener(id = ID, topics = Topics.CANCELS, groupId = "llmserve-batching-cancels-${random.uuid}",
            autoStartup = "false", properties = "auto.offset.reset=latest")
    public void onCancel(byte[] payload) {
        try {
            inbox.cancel(MessageCodec.decodeCancel(payload).requestId());
        } catch (RuntimeException e) {
            log.warn("dropping a cancel that cannot be read: {}", e.getMessage());
        }
    }
}
