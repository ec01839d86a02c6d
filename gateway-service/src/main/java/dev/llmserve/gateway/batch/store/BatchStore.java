package dev.llmserve.gateway.batch.store;

import dev.llmserve.gateway.error.OpenAiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * This gateway's in-memory view of the batch topics: every file object, every batch's latest
 * snapshot and cancel mark, and the results of the lines of batches still running. Filled by
 * {@link StoreReader} from the topics and by {@link StoreWriter} with this instance's own writes as
 * soon as the broker has them (so a client reads its own writes at once); applying a record twice
 * changes nothing. File contents are not held: {@link FileContents} reads them from Kafka.
 */
@Component
public class BatchStore {

    /** A batch's snapshot and the partition of the batches topic it lives in (which decides its driver). */
    public record Located(StoredBatch batch, int partition) {}

    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final Map<String, Located> batches = new ConcurrentHashMap<>();
    private final Map<String, CancelMark> cancels = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, LineResult>> results = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    /** True once the topics were read up to where they ended when this instance started. */
    public boolean loaded() {
        return loaded;
    }

    /** Fails with 503 while the view is still being rebuilt: it could wrongly answer 404. */
    public void requireLoaded() {
        if (!loaded) {
            throw OpenAiException.unavailable("The batch store is still loading; retry shortly");
        }
    }

    public Optional<StoredFile> file(String id) {
        return Optional.ofNullable(files.get(id));
    }

    public Optional<Located> batch(String id) {
        return Optional.ofNullable(batches.get(id));
    }

    public List<Located> batches() {
        return List.copyOf(batches.values());
    }

    public Optional<CancelMark> cancelMark(String batchId) {
        return Optional.ofNullable(cancels.get(batchId));
    }

    /** The stored results of a running batch's lines, by line index (a copy). */
    public Map<Integer, LineResult> results(String batchId) {
        return Map.copyOf(results.getOrDefault(batchId, Map.of()));
    }

    /** The final counts of an ended batch; a running one's total and what its results say so far. */
    public RequestCounts counts(StoredBatch batch) {
        if (batch.batchStatus().terminal()) {
            return batch.counts();
        }
        int completed = 0;
        int failed = 0;
        for (LineResult result : results.getOrDefault(batch.id(), Map.of()).values()) {
            if (result.ok()) {
                completed++;
            } else {
                failed++;
            }
        }
        return new RequestCounts(batch.counts().total(), completed, failed);
    }

    void markLoaded() {
        loaded = true;
    }

    void putFile(StoredFile file) {
        files.put(file.id(), file);
    }

    void removeFile(String id) {
        files.remove(id);
    }

    /** Keeps the higher version; an ended batch's line results are no longer needed (its files hold them). */
    synchronized void putBatch(StoredBatch batch, int partition) {
        Located current = batches.get(batch.id());
        if (current != null && current.batch().version() >= batch.version()) {
            return;
        }
        batches.put(batch.id(), new Located(batch, partition));
        if (batch.batchStatus().terminal()) {
            results.remove(batch.id());
        }
    }

    void removeBatch(String id) {
        batches.remove(id);
    }

    void putCancel(CancelMark mark) {
        cancels.putIfAbsent(mark.batchId(), mark);
    }

    void removeCancel(String batchId) {
        cancels.remove(batchId);
    }

    /** The first result stored for a line is the one that counts: a line is in the output once. */
    synchronized void putResult(LineResult result) {
        Located batch = batches.get(result.batchId());
        if (batch != null && batch.batch().batchStatus().terminal()) {
            return;
        }
        results.computeIfAbsent(result.batchId(), id -> new ConcurrentHashMap<>()).putIfAbsent(result.line(), result);
    }

    void removeResult(String batchId, int line) {
        Map<Integer, LineResult> lines = results.get(batchId);
        if (lines != null) {
            lines.remove(line);
        }
    }
}
