package dev.llmserve.batching.kafka;

import dev.llmserve.batching.core.Inbox;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes requests from Kafka into the engine loop's inbox. All instances share one consumer group,
 * so each request partition belongs to one instance. Started once the model shard answered.
 */
@Component
public class RequestListener {

    public static final String ID = "llmserve-requests";
    private static final Logger log = LoggerFactory.getLogger(RequestListener.class);

    private final Inbox inbox;

    public RequestListener(Inbox inbox) {
        this.inbox = inbox;
    }

    @KafkaListener(id = ID, topics = Topics.REQUESTS, groupId = "llmserve-batching", autoStartup = "false")
    public void onRequest(byte[] payload) {
        try {
            inbox.submit(MessageCodec.decodeRequest(payload));
        } catch (RuntimeException e) {
            log.warn("dropping a request that cannot be read: {}", e.getMessage());
        }
    }
}
