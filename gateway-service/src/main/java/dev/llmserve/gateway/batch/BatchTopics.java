package dev.llmserve.gateway.batch;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The Kafka topics that hold the Batch and Files APIs' state: they are its database. All are
 * compacted (the latest record of each key is kept for ever, a null value deletes the key), so they
 * hold exactly the live objects, and a gateway rebuilds its view by reading them from the start.
 */
@Configuration(proxyBeanMethods = false)
public class BatchTopics {

    /** File objects (metadata and where their chunks are), keyed by file id. */
    public static final String FILES = "llmserve.batch.files";
    /** File contents, one record per chunk, keyed by file id + "/" + chunk index; read by offset. */
    public static final String FILE_CHUNKS = "llmserve.batch.file-chunks";
    /** Batch snapshots keyed by batch id, and cancel marks keyed by batch id + "/cancel". */
    public static final String BATCHES = "llmserve.batch.batches";
    /** One result per line of a running batch, keyed by batch id + "/" + line index. */
    public static final String RESULTS = "llmserve.batch.results";
    /** The consumer group whose partition assignment of {@link #BATCHES} decides who drives a batch. */
    public static final String DRIVER_GROUP = "llmserve-gateway-batch-drivers";

    @Bean
    NewTopic batchFilesTopic(BatchProperties properties) {
        return compacted(FILES, properties);
    }

    @Bean
    NewTopic batchFileChunksTopic(BatchProperties properties) {
        return compacted(FILE_CHUNKS, properties);
    }

    @Bean
    NewTopic batchBatchesTopic(BatchProperties properties) {
        return compacted(BATCHES, properties);
    }

    @Bean
    NewTopic batchResultsTopic(BatchProperties properties) {
        return compacted(RESULTS, properties);
    }

    private static NewTopic compacted(String name, BatchProperties properties) {
        return TopicBuilder.name(name)
                .partitions(properties.partitions())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .build();
    }
}
