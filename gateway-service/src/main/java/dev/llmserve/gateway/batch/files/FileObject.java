package dev.llmserve.gateway.batch.files;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.batch.store.StoredFile;

/** OpenAI's file object. Files are stored as soon as uploaded, so their status is always "processed". */
public record FileObject(
        String id,
        String object,
        long bytes,
        @JsonProperty("created_at") long createdAt,
        String filename,
        String purpose,
        String status,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("status_details") String statusDetails) {

    public static FileObject of(StoredFile file) {
        return new FileObject(file.id(), "file", file.bytes(), file.createdAt(), file.filename(), file.purpose(),
                "processed", null, null);
    }
}
