package dev.llmserve.gateway.batch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Batch and Files APIs ({@code llmserve.gateway.batch.*}).
 *
 * @param window lines of one gateway's batches in flight at once (published, result not yet stored)
 * @param lineTimeout a line with no token event for this long is cancelled and resubmitted under a
 *     fresh request id (its request was lost, e.g. by a batching-service restart)
 * @param maxAttempts attempts of a line that the scheduler ended abnormally before it goes to the
 *     error file
 * @param retryBackoff the first pause before a failed line is retried; it doubles, up to 30 s
 * @param maxFileSize the largest file accepted by {@code POST /v1/files}
 * @param maxLines the most requests one batch may hold
 * @param chunkSize files are stored as Kafka records of at most this size
 * @param partitions partitions of the batch topics when the gateway creates them; batches are
 *     driven by the gateway instance that owns their partition
 * @param completionWindow how long the API's only window, "24h", really lasts before a batch
 *     expires; other values are for tests and demonstrations
 */
@ConfigurationProperties("llmserve.gateway.batch")
public record BatchProperties(
        @DefaultValue("64") int window,
        @DefaultValue("2m") Duration lineTimeout,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("100MB") DataSize maxFileSize,
        @DefaultValue("50000") int maxLines,
        @DefaultValue("512KB") DataSize chunkSize,
        @DefaultValue("4") int partitions,
        @DefaultValue("24h") Duration completionWindow) {

    public BatchProperties {
        require(window >= 1, "window must be >= 1, got " + window);
        require(!lineTimeout.isNegative() && !lineTimeout.isZero(), "line-timeout must be positive, got " + lineTimeout);
        require(maxAttempts >= 1, "max-attempts must be >= 1, got " + maxAttempts);
        require(!retryBackoff.isNegative(), "retry-backoff must not be negative, got " + retryBackoff);
        require(maxFileSize.toBytes() >= 1, "max-file-size must be positive, got " + maxFileSize);
        require(maxLines >= 1, "max-lines must be >= 1, got " + maxLines);
        // a chunk must fit Kafka's default 1 MB record limit with room for the record's overhead
        require(chunkSize.toBytes() >= 1 && chunkSize.toBytes() <= 900 * 1024,
                "chunk-size must be between 1 B and 900KB, got " + chunkSize);
        require(partitions >= 1, "partitions must be >= 1, got " + partitions);
        require(!completionWindow.isNegative() && !completionWindow.isZero(),
                "completion-window must be positive, got " + completionWindow);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("llmserve.gateway.batch." + message);
        }
    }
}
