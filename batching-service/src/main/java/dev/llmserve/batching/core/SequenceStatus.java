package dev.llmserve.batching.core;

/** Where a sequence is: queued, in the batch, or done (finished, cancelled or failed). */
public enum SequenceStatus {
    WAITING,
    RUNNING,
    FINISHED
}
