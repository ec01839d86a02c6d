package dev.llmserve.gateway.batch.store;

import dev.llmserve.gateway.batch.BatchTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Reads a file's content from the file-chunks topic, chunk by chunk, at the offsets its
 * {@link StoredFile} records, with a consumer of its own (no group) for each read. Nothing of a file's
 * content stays in memory after it has been streamed.
 */
@Component
public class FileContents {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final ConsumerFactory<String, byte[]> consumers;

    FileContents(ConsumerFactory<String, byte[]> consumers) {
        this.consumers = consumers;
    }

    /** The content's chunks, in order; reading blocks, so it runs on the bounded elastic scheduler. */
    public Flux<byte[]> read(StoredFile file) {
        return Flux.using(() -> new ChunkFetcher(consumers.createConsumer(null, "batch-file-reader", null, properties())),
                        fetcher -> Flux.fromIterable(file.chunks()).map(fetcher::fetch),
                        ChunkFetcher::close)
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** One read's consumer; a poll often returns the next chunks too, so they are kept until asked for. */
    private static final class ChunkFetcher implements AutoCloseable {

        private final Consumer<String, byte[]> consumer;
        private final Map<Long, ConsumerRecord<String, byte[]>> buffered = new HashMap<>();
        private TopicPartition current;

        ChunkFetcher(Consumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        byte[] fetch(ChunkLocation location) {
            TopicPartition partition = new TopicPartition(BatchTopics.FILE_CHUNKS, location.partition());
            if (!partition.equals(current)) {
                consumer.assign(List.of(partition));
                buffered.clear();
                current = partition;
            }
            ConsumerRecord<String, byte[]> record = buffered.remove(location.offset());
            if (record == null) {
                buffered.clear();
                consumer.seek(partition, location.offset());
                record = pollFor(location);
            }
            if (record.value() == null) {
                throw new IllegalStateException("the chunk at " + location + " was deleted");
            }
            return record.value();
        }

        private ConsumerRecord<String, byte[]> pollFor(ChunkLocation location) {
            long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecord<String, byte[]> found = null;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() == location.offset()) {
                        found = record;
                    } else if (record.offset() > location.offset()) {
                        buffered.put(record.offset(), record);
                    }
                }
                if (found != null) {
                    return found;
                }
                if (!buffered.isEmpty()) {
                    throw new IllegalStateException("the chunk at " + location + " is missing");
                }
            }
            throw new IllegalStateException("the chunk at " + location + " could not be read within " + FETCH_TIMEOUT);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static Properties properties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return properties;
    }
}
