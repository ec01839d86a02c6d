package dev.llmserve.batching.kafka;

import dev.llmserve.batching.core.TokenEventSink;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.TokenEventBatch;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Publishes token event batches to their reply topics from a thread of its own: even KafkaTemplate's
 * asynchronous send can block (on topic metadata, or a full buffer), and the engine loop must not.
 * One sender thread and one record key per instance keep each request's events in order.
 */
public final class KafkaTokenEventSink implements TokenEventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaTokenEventSink.class);

    private final KafkaOperations<String, byte[]> kafka;
    private final String key = "batching-" + UUID.randomUUID();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "token-events"));

    public KafkaTokenEventSink(KafkaOperations<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    @Override
    public void publish(String replyTopic, TokenEventBatch batch) {
        sender.execute(() -> send(replyTopic, batch));
    }

    private void send(String replyTopic, TokenEventBatch batch) {
        try {
            kafka.send(replyTopic, key, MessageCodec.encode(batch)).whenComplete((result, error) -> {
                if (error != null) {
                    log.warn("token events for {} were not delivered: {}", replyTopic, error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            log.warn("token events for {} were not sent: {}", replyTopic, e.getMessage());
        }
    }

    /**
     * Hands over what is queued (e.g. the shutdown's error events); the producer, closed after this,
     * delivers them.
     */
    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("token event batches still queued at shutdown were dropped");
            sender.shutdownNow();
        }
    }
}
