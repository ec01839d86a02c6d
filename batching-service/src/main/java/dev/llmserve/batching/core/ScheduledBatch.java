package dev.llmserve.batching.core;

import java.util.List;

/** What one scheduler iteration chose to run, and how many sequences it preempted to make room. */
public record ScheduledBatch(List<ScheduledSequence> sequences, int preempted) {

    public ScheduledBatch {
        sequences = List.copyOf(sequences);
    }

    public boolean isEmpty() {
        return sequences.isEmpty();
    }

    public int size() {
        return sequences.size();
    }
}
