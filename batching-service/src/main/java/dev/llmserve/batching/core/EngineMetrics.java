package dev.llmserve.batching.core;

/** What the engine reports as it runs; called from the engine loop thread only. */
public interface EngineMetrics {

    /** A step ran with this many sequences. */
    void stepExecuted(int batchSize);

    void preempted(int count);

    void timeToFirstToken(long nanos);

    void interTokenLatency(long nanos);

    /** A request finished normally (stop or length), this long after it arrived. */
    void requestFinished(long nanos);

    /** The queue lengths and KV block use after an iteration. */
    void state(int running, int waiting, int blocksUsed, int blocksTotal);
}
