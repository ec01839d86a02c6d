package dev.llmserve.batching.kafka;

import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.TokenEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a reply topic as a gateway would, collecting each request's token events in arrival order. */
final class ReplyTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<TokenEvent>> events = new HashMap<>();

    ReplyTopicReader(String brokers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-gateway-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
    }

    /** Polls until the condition holds over the events so far; fails after the timeout. */
    Map<String, List<TokenEvent>> until(Predicate<Map<String, List<TokenEvent>>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(events)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for token events; got " + events.keySet());
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                MessageCodec.decodeTokenEvents(record.value()).events().forEach(
                        e -> events.computeIfAbsent(e.requestId(), id -> new ArrayList<>()).add(e));
            }
        }
        return events;
    }

    static Predicate<Map<String, List<TokenEvent>>> finished(List<String> requestIds) {
        return events -> requestIds.stream().allMatch(id -> events.containsKey(id)
                && events.get(id).get(events.get(id).size() - 1).isLast());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
