package dev.llmserve.gateway.batch.store;

import java.util.List;

/**
 * A file as the files topic holds it: the file object's fields and where its content's chunks are,
 * in order. Written once, after every chunk is stored, so a file without it was never uploaded.
 *
 * @param createdAt epoch seconds
 * @param purpose {@code batch} (uploaded input) or {@code batch_output} (a batch's output or errors)
 */
public record StoredFile(int v, String id, long bytes, long createdAt, String filename, String purpose,
        List<ChunkLocation> chunks) {

    public static final int VERSION = 1;

    public StoredFile {
        chunks = List.copyOf(chunks);
    }
}
