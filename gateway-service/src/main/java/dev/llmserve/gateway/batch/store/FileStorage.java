package dev.llmserve.gateway.batch.store;

import dev.llmserve.gateway.batch.BatchProperties;
import dev.llmserve.gateway.error.OpenAiException;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stores a file: its content as records of at most {@code chunk-size} bytes (so no file, however
 * large, meets Kafka's record size limit), then the {@link StoredFile} that makes it exist. A store
 * that fails half way leaves no file, and its chunks are deleted.
 */
@Component
public class FileStorage {

    private final StoreWriter writer;
    private final int chunkSize;

    FileStorage(StoreWriter writer, BatchProperties properties) {
        this.writer = writer;
        this.chunkSize = (int) properties.chunkSize().toBytes();
    }

    /**
     * @param content the bytes in pieces of any size
     * @param maxBytes a larger file fails with 400, as does an empty one
     */
    public Mono<StoredFile> store(String id, String filename, String purpose, Flux<byte[]> content, long maxBytes) {
        AtomicInteger written = new AtomicInteger();
        AtomicLong size = new AtomicLong();
        return rechunk(content.doOnNext(piece -> {
                    if (size.addAndGet(piece.length) > maxBytes) {
                        throw OpenAiException.invalidRequest("file", "The file is larger than the limit of "
                                + maxBytes + " bytes");
                    }
                }))
                .index()
                .concatMap(chunk -> writer.writeChunk(id, chunk.getT1().intValue(), chunk.getT2())
                        .doOnNext(location -> written.incrementAndGet()))
                .collectList()
                .flatMap(locations -> locations.isEmpty()
                        ? Mono.error(OpenAiException.invalidRequest("file", "The file is empty"))
                        : writer.writeFile(new StoredFile(StoredFile.VERSION, id, size.get(),
                                Instant.now().getEpochSecond(), filename, purpose, locations)))
                .onErrorResume(failure -> writer.deleteChunks(id, written.get())
                        .onErrorResume(cleanup -> Mono.empty())
                        .then(Mono.error(failure)));
    }

    /** Pieces of any size → chunks of exactly {@code chunkSize} bytes, the last one shorter. */
    private Flux<byte[]> rechunk(Flux<byte[]> pieces) {
        return Flux.defer(() -> {
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            return pieces.concatMapIterable(piece -> {
                        List<byte[]> full = new ArrayList<>();
                        int from = 0;
                        while (from < piece.length) {
                            int take = Math.min(chunkSize - pending.size(), piece.length - from);
                            pending.write(piece, from, take);
                            from += take;
                            if (pending.size() == chunkSize) {
                                full.add(pending.toByteArray());
                                pending.reset();
                            }
                        }
                        return full;
                    })
                    .concatWith(Mono.fromSupplier(pending::toByteArray).filter(rest -> rest.length > 0));
        });
    }
}
