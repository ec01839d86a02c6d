package dev.llmserve.gateway.batch.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.batch.store.BatchError;
import dev.llmserve.gateway.batch.store.BatchStatus;
import dev.llmserve.gateway.batch.store.CancelMark;
import dev.llmserve.gateway.batch.store.RequestCounts;
import dev.llmserve.gateway.batch.store.StoredBatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** OpenAI's batch object; fields not set yet are null, as OpenAI sends them. */
public record BatchObject(
        String id,
        String object,
        String endpoint,
        Errors errors,
        @JsonProperty("input_file_id") String inputFileId,
        @JsonProperty("completion_window") String completionWindow,
        String status,
        @JsonProperty("output_file_id") String outputFileId,
        @JsonProperty("error_file_id") String errorFileId,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("in_progress_at") Long inProgressAt,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("finalizing_at") Long finalizingAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("expired_at") Long expiredAt,
        @JsonProperty("cancelling_at") Long cancellingAt,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("request_counts") RequestCounts requestCounts,
        Map<String, String> metadata) {

    /** {@code {"object":"list","data":[…]}}: why a batch failed as a whole. */
    public record Errors(String object, List<BatchError> data) {}

    /**
     * A running batch with a cancel mark shows as "cancelling" (since the mark) until its driver has
     * stopped it.
     */
    static BatchObject of(StoredBatch batch, Optional<CancelMark> cancel, RequestCounts counts) {
        BatchStatus status = batch.batchStatus();
        Map<String, Long> times = batch.statusTimes();
        Long cancellingAt = times.get(BatchStatus.CANCELLING.timestampField());
        if (cancel.isPresent() && !status.terminal() && status != BatchStatus.FINALIZING) {
            status = BatchStatus.CANCELLING;
            cancellingAt = cancellingAt != null ? cancellingAt : cancel.get().at();
        }
        return new BatchObject(batch.id(), "batch", batch.endpoint(),
                batch.errors().isEmpty() ? null : new Errors("list", batch.errors()),
                batch.inputFileId(), batch.completionWindow(), status.wireName(), batch.outputFileId(),
                batch.errorFileId(), batch.createdAt(), times.get(BatchStatus.IN_PROGRESS.timestampField()),
                batch.expiresAt(), times.get(BatchStatus.FINALIZING.timestampField()),
                times.get(BatchStatus.COMPLETED.timestampField()), times.get(BatchStatus.FAILED.timestampField()),
                times.get(BatchStatus.EXPIRED.timestampField()), cancellingAt,
                times.get(BatchStatus.CANCELLED.timestampField()), counts, batch.metadata());
    }
}
