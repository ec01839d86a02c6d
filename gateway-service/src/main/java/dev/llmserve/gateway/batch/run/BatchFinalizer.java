package dev.llmserve.gateway.batch.run;

import dev.llmserve.gateway.batch.store.BatchStatus;
import dev.llmserve.gateway.batch.store.CancelMark;
import dev.llmserve.gateway.batch.store.FileStorage;
import dev.llmserve.gateway.batch.store.LineResult;
import dev.llmserve.gateway.batch.store.RequestCounts;
import dev.llmserve.gateway.batch.store.StoredBatch;
import dev.llmserve.gateway.batch.store.StoredFile;
import dev.llmserve.gateway.batch.store.StoreWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ends a batch: writes its output file (the lines that succeeded) and error file (the others), in
 * input order, then the final snapshot that names them, then deletes the line results the files now
 * hold. The files' ids follow from the batch id, so finishing again after a crash rewrites the same
 * files rather than adding new ones.
 */
@Component
class BatchFinalizer {

    static final String OUTPUT_PURPOSE = "batch_output";
    private static final Logger log = LoggerFactory.getLogger(BatchFinalizer.class);

    private final FileStorage storage;
    private final StoreWriter writer;
    private final OutputLines outputs;

    BatchFinalizer(FileStorage storage, StoreWriter writer, OutputLines outputs) {
        this.storage = storage;
        this.writer = writer;
        this.outputs = outputs;
    }

    /**
     * @param lines the batch's lines (null if it never got past validating)
     * @param ending completed, cancelled or expired
     */
    Mono<StoredBatch> finish(StoredBatch batch, List<LinePlan> lines, Map<Integer, LineResult> results,
            BatchStatus ending, Optional<CancelMark> cancel) {
        long now = Instant.now().getEpochSecond();
        Mono<StoredBatch> started = ending == BatchStatus.COMPLETED && batch.batchStatus() != BatchStatus.FINALIZING
                ? writer.writeBatch(batch.to(BatchStatus.FINALIZING, now))
                : Mono.just(batch);
        Map<Integer, LineResult> ordered = new TreeMap<>(results);
        List<String> output = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        ordered.values().forEach(result -> (result.ok() ? output : errors).add(result.output()));
        if (ending == BatchStatus.EXPIRED && lines != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (!results.containsKey(i)) {
                    errors.add(outputs.lineError(batch.id(), i, lines.get(i).customId(), "batch_expired",
                            "This request could not be executed before the completion window expired."));
                }
            }
        }
        return started
                .flatMap(current -> Mono.zip(file(current, "output", output), file(current, "error", errors))
                        .flatMap(ids -> writer.writeBatch(end(current, ending, cancel, now)
                                .withFiles(ids.getT1().orElse(null), ids.getT2().orElse(null))
                                .withCounts(new RequestCounts(current.counts().total(), output.size(), errors.size())))))
                .flatMap(ended -> writer.deleteResults(ended.id(), results.keySet())
                        .onErrorResume(failure -> {
                            log.warn("Could not delete the line results of {}: {}", ended.id(), failure.toString());
                            return Mono.empty();
                        })
                        .thenReturn(ended));
    }

    private static StoredBatch end(StoredBatch batch, BatchStatus ending, Optional<CancelMark> cancel, long now) {
        StoredBatch ended = batch;
        if (ending == BatchStatus.CANCELLED) {
            ended = ended.to(BatchStatus.CANCELLING, cancel.map(CancelMark::at).orElse(now));
        }
        return ended.to(ending, now);
    }

    private Mono<Optional<String>> file(StoredBatch batch, String kind, List<String> lines) {
        if (lines.isEmpty()) {
            return Mono.just(Optional.empty());
        }
        String id = "file-" + UUID.nameUUIDFromBytes((batch.id() + "/" + kind).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
        Flux<byte[]> content = Flux.fromIterable(lines).map(line -> (line + "\n").getBytes(StandardCharsets.UTF_8));
        return storage.store(id, batch.id() + "_" + kind + ".jsonl", OUTPUT_PURPOSE, content, Long.MAX_VALUE)
                .map(StoredFile::id)
                .map(Optional::of);
    }
}
