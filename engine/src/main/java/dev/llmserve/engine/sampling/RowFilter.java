package dev.llmserve.engine.sampling;

/**
 * What {@link ProbabilityFilter} does to one row: divide by {@code temperature}, then keep the
 * {@code topK} best ({@code <= 0}: all), the smallest set reaching {@code topP}, and the tokens with
 * at least {@code minP} times the best probability.
 */
record RowFilter(float temperature, int topK, float topP, float minP) {

    /** Leaves the row's distribution as it is. */
    static final RowFilter NONE = new RowFilter(1f, 0, 1f, 0f);

    /** Keeps only the most probable token(s): a greedy row's distribution. */
    static final RowFilter POINT_MASS = new RowFilter(1f, 0, 1f, 1f);

    static RowFilter of(SamplingParams p) {
        return new RowFilter(p.temperature(), p.topK(), p.topP(), p.minP());
    }

    boolean scales() {
        return temperature != 1f;
    }

    boolean limitsTopK(long vocab) {
        return topK > 0 && topK < vocab;
    }

    boolean limitsTopP() {
        return topP < 1f;
    }

    /** Whether the row needs its tokens ranked (top-k or top-p). */
    boolean ranks(long vocab) {
        return limitsTopK(vocab) || limitsTopP();
    }

    boolean limitsMinP() {
        return minP > 0f;
    }
}
