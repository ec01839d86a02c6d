package dev.llmserve.gateway.batch.files;

import dev.llmserve.gateway.batch.BatchProperties;
import dev.llmserve.gateway.batch.store.BatchStore;
import dev.llmserve.gateway.batch.store.FileStorage;
import dev.llmserve.gateway.batch.store.StoredFile;
import dev.llmserve.gateway.error.OpenAiException;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * POST /v1/files: a multipart form with {@code purpose} ("batch", the only purpose served here) and
 * {@code file}. The file is streamed into the store chunk by chunk; its lines are checked when a
 * batch runs them, each on its own, so one bad line does not refuse the file.
 */
@Service
class FileUploads {

    static final String PURPOSE = "batch";

    private final BatchStore store;
    private final FileStorage storage;
    private final long maxBytes;

    FileUploads(BatchStore store, FileStorage storage, BatchProperties properties) {
        this.store = store;
        this.storage = storage;
        this.maxBytes = properties.maxFileSize().toBytes();
    }

    Mono<FileObject> upload(ServerWebExchange exchange) {
        store.requireLoaded();
        return exchange.getMultipartData().flatMap(this::store).map(FileObject::of);
    }

    private Mono<StoredFile> store(MultiValueMap<String, Part> parts) {
        Part purpose = parts.getFirst("purpose");
        if (!(purpose instanceof FormFieldPart field)) {
            return Mono.error(OpenAiException.invalidRequest("purpose", "Missing required parameter: 'purpose'"));
        }
        if (!PURPOSE.equals(field.value())) {
            return Mono.error(OpenAiException.invalidRequest("purpose",
                    "Only the purpose 'batch' is supported, got '" + field.value() + "'"));
        }
        if (!(parts.getFirst("file") instanceof FilePart file)) {
            return Mono.error(OpenAiException.invalidRequest("file", "Missing required parameter: 'file'"));
        }
        String id = "file-" + UUID.randomUUID().toString().replace("-", "");
        return storage.store(id, file.filename(), PURPOSE, file.content().map(FileUploads::copy), maxBytes);
    }

    private static byte[] copy(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
