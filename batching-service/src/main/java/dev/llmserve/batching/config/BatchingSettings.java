package dev.llmserve.batching.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code llmserve.batching.*}: the scheduler's limits and where the model shard is.
 *
 * @param maxNumSeqs most sequences in the running batch
 * @param maxNumBatchedTokens most tokens one step may carry (prompt chunks plus one per decode)
 * @param maxBatchPrefillTokens most prompt tokens of batch-priority requests in one step, so a long
 *     batch prompt cannot make the step an interactive request waits on long
 * @param inferenceTarget the inference-service's gRPC address, host:port
 * @param stepTimeout how long one step RPC may take before its sequences fail
 * @param requestPartitions partitions of the requests topic when this service creates it: the most
 *     batching-service instances that can share the load
 */
@ConfigurationProperties("llmserve.batching")
public record BatchingSettings(
        @DefaultValue("64") int maxNumSeqs,
        @DefaultValue("2048") int maxNumBatchedTokens,
        @DefaultValue("512") int maxBatchPrefillTokens,
        @DefaultValue("localhost:9082") String inferenceTarget,
        @DefaultValue("60s") Duration stepTimeout,
        @DefaultValue("4") int requestPartitions) {

    public BatchingSettings {
        if (maxNumSeqs < 1 || maxNumBatchedTokens < maxNumSeqs) {
            throw new IllegalArgumentException("llmserve.batching: need max-num-seqs >= 1 and max-num-batched-tokens"
                    + " >= max-num-seqs, got " + maxNumSeqs + " and " + maxNumBatchedTokens);
        }
        if (maxBatchPrefillTokens < 1) {
            throw new IllegalArgumentException("llmserve.batching: need max-batch-prefill-tokens >= 1, got "
                    + maxBatchPrefillTokens);
        }
    }
}
