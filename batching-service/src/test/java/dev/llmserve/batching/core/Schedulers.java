package dev.llmserve.batching.core;

import dev.llmserve.batching.speculative.Speculator;

/**
 * Schedulers for tests, built through the one constructor serving uses, and the token budget a
 * scheduled batch takes (what the scheduler keeps within max-num-batched-tokens).
 */
public final class Schedulers {

    private Schedulers() {}

    /** No draft slots; batch prompt chunks limited only by the step's budget. */
    public static Scheduler plain(BlockManager blocks, int maxNumSeqs, int maxNumBatchedTokens) {
        return plain(blocks, maxNumSeqs, maxNumBatchedTokens, maxNumBatchedTokens);
    }

    /** No draft slots. */
    public static Scheduler plain(BlockManager blocks, int maxNumSeqs, int maxNumBatchedTokens,
            int maxBatchPrefillTokens) {
        return new Scheduler(blocks, maxNumSeqs, maxNumBatchedTokens, maxBatchPrefillTokens, Speculator.off());
    }

    /** Tokens the step carries: every share's scheduled tokens plus its draft slots. */
    public static int budgetTokens(ScheduledBatch batch) {
        return batch.sequences().stream().mapToInt(s -> s.numTokens() + s.draftSlots()).sum();
    }
}
