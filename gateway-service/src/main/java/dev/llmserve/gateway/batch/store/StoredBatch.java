package dev.llmserve.gateway.batch.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one batch as the batches topic holds it. Every change is a new snapshot with a
 * higher {@code version}; a view keeps the highest it has seen, so replaying the topic, or seeing a
 * write both directly and again on the topic, never moves a batch back.
 *
 * @param createdAt epoch seconds, like every timestamp here
 * @param statusTimes when the batch entered each status it has been in, by OpenAI's field name
 *     ({@code in_progress_at}, {@code completed_at}, …)
 * @param counts set when the batch starts (total) and when it ends; live counts come from the results
 * @param errors why the batch failed, when it did
 */
public record StoredBatch(
        int v,
        long version,
        String id,
        String endpoint,
        String inputFileId,
        String completionWindow,
        Map<String, String> metadata,
        long createdAt,
        long expiresAt,
        String status,
        Map<String, Long> statusTimes,
        RequestCounts counts,
        String outputFileId,
        String errorFileId,
        List<BatchError> errors) {

    public static final int VERSION = 1;

    public StoredBatch {
        statusTimes = Map.copyOf(statusTimes);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public BatchStatus batchStatus() {
        return BatchStatus.of(status);
    }

    /** The next snapshot: in {@code next} since {@code at}. */
    public StoredBatch to(BatchStatus next, long at) {
        Map<String, Long> times = new HashMap<>(statusTimes);
        times.put(next.timestampField(), at);
        return new StoredBatch(v, version + 1, id, endpoint, inputFileId, completionWindow, metadata, createdAt,
                expiresAt, next.wireName(), times, counts, outputFileId, errorFileId, errors);
    }

    public StoredBatch withCounts(RequestCounts newCounts) {
        return new StoredBatch(v, version, id, endpoint, inputFileId, completionWindow, metadata, createdAt,
                expiresAt, status, statusTimes, newCounts, outputFileId, errorFileId, errors);
    }

    public StoredBatch withFiles(String output, String error) {
        return new StoredBatch(v, version, id, endpoint, inputFileId, completionWindow, metadata, createdAt,
                expiresAt, status, statusTimes, counts, output, error, errors);
    }

    public StoredBatch withErrors(List<BatchError> newErrors) {
        return new StoredBatch(v, version, id, endpoint, inputFileId, completionWindow, metadata, createdAt,
                expiresAt, status, statusTimes, counts, outputFileId, errorFileId, newErrors);
    }
}
