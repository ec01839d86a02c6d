package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.Priority;

/** How many sequences of each {@link Priority} a queue holds. */
public record PriorityCounts(int interactive, int batch) {

    public int total() {
        return interactive + batch;
    }

    public int of(Priority priority) {
        return priority == Priority.INTERACTIVE ? interactive : batch;
    }
}
