package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.Priority;

/** What the engine reports as it runs; called from the engine loop thread only. */
public interface EngineMetrics {

    /** A step ran with this many sequences. */
    void stepExecuted(int batchSize);

    void preempted(int count);

    /** A request's first token came this long after it arrived. */
    void timeToFirstToken(Priority priority, long nanos);

    void interTokenLatency(long nanos);

    /** A request finished normally (stop or length), this long after it arrived. */
    void requestFinished(long nanos);

    /** The proposer drafted for one step's speculating sequences in this long. */
    void drafted(long nanos);

    /** A target step that verified drafts (besides whatever else it ran) took this long. */
    void verifyStepExecuted(long nanos);

    /** One sequence's verification accepted {@code accepted} of {@code proposed} drafts, then added one target token. */
    void verified(int proposed, int accepted);

    /** The queue lengths, per priority, and KV block use after an iteration. */
    void state(PriorityCounts running, PriorityCounts waiting, int blocksUsed, int blocksTotal);
}
