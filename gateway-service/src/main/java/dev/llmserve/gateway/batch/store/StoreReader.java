package dev.llmserve.gateway.batch.store;

import dev.llmserve.gateway.batch.BatchTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Rebuilds {@link BatchStore} at start-up by reading the files, batches and results topics from
 * their beginning (every partition, no consumer group), marks it loaded once it has reached the
 * offsets where they ended at start, and then keeps following them, so this instance also sees what
 * other gateway instances write. File chunks are not read: they are fetched by offset on demand.
 */
@Component
class StoreReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoreReader.class);
    private static final List<String> TOPICS = List.of(BatchTopics.FILES, BatchTopics.BATCHES, BatchTopics.RESULTS);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ConsumerFactory<String, byte[]> consumers;
    private final BatchStore store;
    private volatile boolean running;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    StoreReader(ConsumerFactory<String, byte[]> consumers, BatchStore store) {
        this.consumers = consumers;
        this.store = store;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "batch-store-reader");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (Consumer<String, byte[]> c = consumers.createConsumer(null, "batch-store", null, properties())) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // the broker may be down or the topics not yet created: try again, the view stays as it is
                log.warn("Reading the batch topics failed, retrying: {}", e.toString());
                sleep(RETRY);
            }
        }
    }

    private void follow(Consumer<String, byte[]> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<TopicPartition> ofTopic = c.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (ofTopic.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist yet");
            }
            partitions.addAll(ofTopic);
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                apply(record);
            }
            if (!store.loaded() && ends.entrySet().stream().allMatch(end -> c.position(end.getKey()) >= end.getValue())) {
                store.markLoaded();
                log.info("Batch store loaded: {} batches", store.batches().size());
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            switch (record.topic()) {
                case BatchTopics.FILES -> applyFile(record);
                case BatchTopics.BATCHES -> applyBatch(record);
                case BatchTopics.RESULTS -> applyResult(record);
                default -> { }
            }
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable record {}@{}/{}: {}", record.key(), record.topic(), record.offset(),
                    e.getMessage());
        }
    }

    private void applyFile(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            store.removeFile(record.key());
        } else {
            store.putFile(StoreCodec.decodeFile(record.value()));
        }
    }

    private void applyBatch(ConsumerRecord<String, byte[]> record) {
        boolean cancel = StoreCodec.isCancelKey(record.key());
        if (record.value() == null) {
            if (cancel) {
                store.removeCancel(record.key().substring(0, record.key().lastIndexOf('/')));
            } else {
                store.removeBatch(record.key());
            }
        } else if (cancel) {
            store.putCancel(StoreCodec.decodeCancel(record.value()));
        } else {
            store.putBatch(StoreCodec.decodeBatch(record.value()), record.partition());
        }
    }

    private void applyResult(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            String[] key = StoreCodec.splitResultKey(record.key());
            store.removeResult(key[0], Integer.parseInt(key[1]));
        } else {
            store.putResult(StoreCodec.decodeResult(record.value()));
        }
    }

    private static Properties properties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the topics must be created by KafkaAdmin, compacted, never by a metadata lookup
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return properties;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
