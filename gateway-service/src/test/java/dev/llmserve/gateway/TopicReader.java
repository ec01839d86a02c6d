package dev.llmserve.gateway;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the records a topic receives from the moment this reader was created. */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    /** Polled but not yet handed out. */
    private final Deque<ConsumerRecord<String, byte[]>> buffer = new ArrayDeque<>();

    public TopicReader(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        ends.forEach(consumer::seek);
    }

    /** Records up to and including the first that matches, or all read when {@code timeout} passes. */
    public List<ConsumerRecord<String, byte[]>> readUntil(Predicate<ConsumerRecord<String, byte[]>> last,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (buffer.isEmpty()) {
                consumer.poll(Duration.ofMillis(100)).forEach(buffer::add);
                continue;
            }
            ConsumerRecord<String, byte[]> record = buffer.poll();
            records.add(record);
            if (last.test(record)) {
                return records;
            }
        }
        return records;
    }

    /** The next record, or an AssertionError after {@code timeout}. */
    public ConsumerRecord<String, byte[]> next(Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = readUntil(record -> true, timeout);
        if (records.isEmpty()) {
            throw new AssertionError("no record arrived within " + timeout);
        }
        return records.get(0);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
