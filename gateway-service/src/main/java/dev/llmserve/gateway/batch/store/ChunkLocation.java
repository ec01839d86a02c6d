package dev.llmserve.gateway.batch.store;

/** Where one chunk of a file's content lies in the file-chunks topic (compaction keeps offsets). */
public record ChunkLocation(int partition, long offset) {}
