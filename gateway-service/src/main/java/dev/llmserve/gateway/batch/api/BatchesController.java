package dev.llmserve.gateway.batch.api;

import dev.llmserve.gateway.batch.ClosingResponses;
import dev.llmserve.gateway.batch.store.BatchStatus;
import dev.llmserve.gateway.batch.store.BatchStore;
import dev.llmserve.gateway.batch.store.CancelMark;
import dev.llmserve.gateway.batch.store.StoredBatch;
import dev.llmserve.gateway.batch.store.StoreWriter;
import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.request.RequestBodyReader;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** OpenAI's Batch API: create, retrieve, list (newest first, by cursor) and cancel. */
@RestController
class BatchesController {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;
    private static final Comparator<StoredBatch> NEWEST_FIRST = Comparator.comparingLong(StoredBatch::createdAt)
            .thenComparing(StoredBatch::id).reversed();

    private final BatchCreation creation;
    private final BatchStore store;
    private final StoreWriter writer;
    private final RequestBodyReader bodies;

    BatchesController(BatchCreation creation, BatchStore store, StoreWriter writer, RequestBodyReader bodies) {
        this.creation = creation;
        this.store = store;
        this.writer = writer;
        this.bodies = bodies;
    }

    @PostMapping("/v1/batches")
    Mono<ResponseEntity<BatchObject>> create(ServerHttpRequest request) {
        return bodies.read(request).flatMap(creation::create).map(batch -> ClosingResponses.ok().body(object(batch)));
    }

    @GetMapping("/v1/batches/{id}")
    BatchObject get(@PathVariable String id) {
        return object(find(id));
    }

    @GetMapping("/v1/batches")
    BatchList list(@RequestParam(required = false) String limit, @RequestParam(required = false) String after) {
        store.requireLoaded();
        int size = limit(limit);
        List<StoredBatch> all = store.batches().stream().map(BatchStore.Located::batch).sorted(NEWEST_FIRST).toList();
        int from = 0;
        if (after != null) {
            from = all.size();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(after)) {
                    from = i + 1;
                    break;
                }
            }
        }
        List<BatchObject> page = all.subList(from, Math.min(all.size(), from + size)).stream().map(this::object).toList();
        return BatchList.of(page, from + size < all.size());
    }

    /** Marks the batch for cancelling; its driver stops it and writes it as "cancelled". */
    @PostMapping("/v1/batches/{id}/cancel")
    Mono<ResponseEntity<BatchObject>> cancel(@PathVariable String id) {
        StoredBatch batch = find(id);
        BatchStatus status = batch.batchStatus();
        if (status.terminal() || status == BatchStatus.FINALIZING) {
            throw OpenAiException.conflict("Cannot cancel a batch with status '" + status.wireName() + "'");
        }
        if (store.cancelMark(id).isPresent()) {
            return Mono.just(ResponseEntity.ok(object(batch)));
        }
        return writer.writeCancel(new CancelMark(CancelMark.VERSION, id, Instant.now().getEpochSecond()))
                .map(mark -> ClosingResponses.ok().body(object(find(id))));
    }

    private StoredBatch find(String id) {
        store.requireLoaded();
        return store.batch(id).map(BatchStore.Located::batch)
                .orElseThrow(() -> OpenAiException.notFound("No batch found with id '" + id + "'"));
    }

    private BatchObject object(StoredBatch batch) {
        return BatchObject.of(batch, store.cancelMark(batch.id()), store.counts(batch));
    }

    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw OpenAiException.invalidRequest("limit", "'limit' must be an integer between 1 and " + MAX_LIMIT
                + ", got '" + limit + "'");
    }
}
