package dev.llmserve.gateway.batch.store;

import dev.llmserve.gateway.batch.BatchTopics;
import java.util.Collection;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes the batch topics. Each write completes once the broker has acknowledged it (the producer's
 * {@code acks=all}), and is then applied to this instance's {@link BatchStore} too.
 */
@Component
public class StoreWriter {

    private final KafkaTemplate<String, byte[]> kafka;
    private final BatchStore store;

    StoreWriter(KafkaTemplate<String, byte[]> kafka, BatchStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    public Mono<ChunkLocation> writeChunk(String fileId, int index, byte[] bytes) {
        return send(BatchTopics.FILE_CHUNKS, StoreCodec.chunkKey(fileId, index), bytes)
                .map(sent -> new ChunkLocation(sent.partition(), sent.offset()));
    }

    /** Written after all its chunks: only then does the file exist. */
    public Mono<StoredFile> writeFile(StoredFile file) {
        return send(BatchTopics.FILES, file.id(), StoreCodec.encode(file))
                .doOnNext(sent -> store.putFile(file))
                .thenReturn(file);
    }

    public Mono<StoredBatch> writeBatch(StoredBatch batch) {
        return send(BatchTopics.BATCHES, batch.id(), StoreCodec.encode(batch))
                .doOnNext(sent -> store.putBatch(batch, sent.partition()))
                .thenReturn(batch);
    }

    public Mono<CancelMark> writeCancel(CancelMark mark) {
        return send(BatchTopics.BATCHES, StoreCodec.cancelKey(mark.batchId()), StoreCodec.encode(mark))
                .doOnNext(sent -> store.putCancel(mark))
                .thenReturn(mark);
    }

    public Mono<LineResult> writeResult(LineResult result) {
        return send(BatchTopics.RESULTS, StoreCodec.resultKey(result.batchId(), result.line()), StoreCodec.encode(result))
                .doOnNext(sent -> store.putResult(result))
                .thenReturn(result);
    }

    /** Tombstones for an ended batch's line results: its output and error files now hold them. */
    public Mono<Void> deleteResults(String batchId, Collection<Integer> lines) {
        return Flux.fromIterable(lines)
                .flatMap(line -> send(BatchTopics.RESULTS, StoreCodec.resultKey(batchId, line), null), 64)
                .then();
    }

    /** Tombstones for the chunks of an upload that did not finish. */
    public Mono<Void> deleteChunks(String fileId, int count) {
        return Flux.range(0, count)
                .flatMap(index -> send(BatchTopics.FILE_CHUNKS, StoreCodec.chunkKey(fileId, index), null), 64)
                .then();
    }

    private Mono<RecordMetadata> send(String topic, String key, byte[] value) {
        // send() may block while it fetches metadata (the broker may be down): never on the caller's thread
        return Mono.fromFuture(() -> kafka.send(topic, key, value))
                .subscribeOn(Schedulers.boundedElastic())
                .map(sent -> sent.getRecordMetadata());
    }
}
