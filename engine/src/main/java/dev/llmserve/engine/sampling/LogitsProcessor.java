package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Turns a batch of logits into the distributions the rows sample from, in vLLM's order: logit bias,
 * repetition penalty, frequency and presence penalties, temperature, then top-k, top-p and min-p.
 * A greedy row's distribution is its most probable token (ties all kept): it skips temperature and
 * the filters, and argmax picks from what is left.
 *
 * <p>Everything runs on the logits' device; only per-row parameters and the touched (row, token)
 * pairs go up from the host. Results belong to the logits' manager; intermediates are freed.
 */
public final class LogitsProcessor {

    /** Processed logits {@code [B, V]}: removed tokens are {@code -inf}. */
    public NDArray process(NDArray logits, List<SamplingRow> rows) {
        checkShape(logits, rows);
        try (CallScope scope = new CallScope(logits)) {
            ProbabilityFilter.Filtered filtered = filter(logits, rows, scope);
            // Never write into the caller's logits.
            NDArray processed = filtered.logits() == logits ? logits.duplicate() : filtered.logits();
            NDArray removed = filtered.removed();
            if (removed != null) {
                processed.set(removed, Float.NEGATIVE_INFINITY);
            }
            return scope.keep(processed);
        }
    }

    /**
     * Processed probabilities {@code [N, V]}, i.e. softmax of {@link #process}: what speculative
     * decoding compares between draft and target. Row i may be position i of one sequence; its history
     * must then include the tokens before that position.
     */
    public NDArray probabilities(NDArray logits, List<SamplingRow> rows) {
        checkShape(logits, rows);
        try (CallScope scope = new CallScope(logits)) {
            ProbabilityFilter.Filtered filtered = filter(logits, rows, scope);
            NDArray probs = filtered.softmax();
            NDArray removed = filtered.removed();
            if (removed != null) {
                probs.set(removed, 0f);
                probs = probs.div(probs.sum(new int[] {1}, true));
            }
            return scope.keep(probs);
        }
    }

    private static ProbabilityFilter.Filtered filter(NDArray logits, List<SamplingRow> rows, CallScope scope) {
        NDArray adjusted = LogitAdjustments.apply(logits, rows, scope.manager());
        List<RowFilter> filters = rows.stream()
                .map(row -> row.params().greedy() ? RowFilter.POINT_MASS : RowFilter.of(row.params()))
                .toList();
        return ProbabilityFilter.apply(adjusted, filters, scope.manager());
    }

    static void checkShape(NDArray logits, List<SamplingRow> rows) {
        if (logits.getDataType() != DataType.FLOAT32 || logits.getShape().dimension() != 2
                || logits.getShape().get(0) != rows.size()) {
            throw new IllegalArgumentException("expected float32 logits [" + rows.size() + ", V], got "
                    + logits.getDataType() + " " + logits.getShape());
        }
    }
}
