package dev.llmserve.gateway.batch.files;

import dev.llmserve.gateway.batch.ClosingResponses;
import dev.llmserve.gateway.batch.store.BatchStore;
import dev.llmserve.gateway.batch.store.FileContents;
import dev.llmserve.gateway.batch.store.StoredFile;
import dev.llmserve.gateway.error.OpenAiException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** OpenAI's Files API, as far as batches need it: upload, retrieve, and download the content. */
@RestController
class FilesController {

    private final FileUploads uploads;
    private final BatchStore store;
    private final FileContents contents;

    FilesController(FileUploads uploads, BatchStore store, FileContents contents) {
        this.uploads = uploads;
        this.store = store;
        this.contents = contents;
    }

    /** Another content type answers 415. */
    @PostMapping(path = "/v1/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<FileObject>> create(ServerWebExchange exchange) {
        return uploads.upload(exchange).map(file -> ClosingResponses.ok().body(file));
    }

    @GetMapping("/v1/files/{id}")
    FileObject get(@PathVariable String id) {
        return FileObject.of(find(id));
    }

    /** The bytes as uploaded (or, for a batch's output and error files, as the batch wrote them). */
    @GetMapping("/v1/files/{id}/content")
    ResponseEntity<Flux<DataBuffer>> content(@PathVariable String id) {
        StoredFile file = find(id);
        return ClosingResponses.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(file.bytes())
                .header("Content-Disposition", ContentDisposition.attachment().filename(file.filename()).build().toString())
                .body(contents.read(file).map(DefaultDataBufferFactory.sharedInstance::wrap));
    }

    private StoredFile find(String id) {
        store.requireLoaded();
        return store.file(id).orElseThrow(() -> OpenAiException.notFound("No such File object: " + id));
    }
}
