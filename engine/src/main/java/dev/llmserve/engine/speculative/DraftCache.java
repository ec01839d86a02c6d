package dev.llmserve.engine.speculative;

/**
 * How many of one sequence's leading tokens a draft model has in its own KV cache, and the rules
 * that move that count. A proposal runs the catch-up tokens (from {@link #cachedTokens()} up to and
 * including the last accepted token) and then d1 … dγ−1, so afterwards the cache holds contextLength
 * + γ − 1 tokens; the verification keeps only what the target accepted, and the K/V past it is
 * recomputed by the next proposal. The draft's cache is addressed by the sequence's block table, so
 * it is lost with the blocks (recompute preemption).
 */
public final class DraftCache {

    private int cachedTokens;

    /** The sequence's leading tokens whose K and V are in the draft model's cache: where the next catch-up starts. */
    public int cachedTokens() {
        return cachedTokens;
    }

    /** The draft model proposed {@code gamma} tokens after a context of {@code contextLength} tokens. */
    public void proposed(int contextLength, int gamma) {
        cachedTokens = contextLength + gamma - 1;
    }

    /** The target kept the sequence's first {@code tokens} tokens: what the draft ran past them was rejected. */
    public void keepWithin(int tokens) {
        cachedTokens = Math.min(cachedTokens, tokens);
    }

    /** The sequence's blocks were freed: the draft starts from nothing. */
    public void lost() {
        cachedTokens = 0;
    }
}
