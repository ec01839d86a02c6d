package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Temperature, then top-k, top-p and min-p, batched. Each of the three filters keeps the most
 * probable tokens down to some probability, so each is a per-row threshold and together they are the
 * largest of the three: one {@code probs < threshold} mask removes them all. Tokens tied with a
 * threshold are all kept, as in vLLM's top-k. Stages no row uses cost nothing.
 */
final class ProbabilityFilter {

    /**
     * The temperature-scaled logits, their softmax ({@code null} when no filter needed it) and the
     * removed tokens ({@code null} when none).
     */
    record Filtered(NDArray logits, NDArray probabilities, NDArray removed) {

        /** Softmax of the scaled logits, removed tokens included. */
        NDArray softmax() {
            return probabilities != null ? probabilities : logits.softmax(1);
        }
    }

    private ProbabilityFilter() {}

    static Filtered apply(NDArray logits, List<RowFilter> filters, NDManager manager) {
        long vocab = logits.getShape().get(1);
        boolean anyScale = filters.stream().anyMatch(RowFilter::scales);
        boolean anyTopK = filters.stream().anyMatch(f -> f.limitsTopK(vocab));
        boolean anyTopP = filters.stream().anyMatch(RowFilter::limitsTopP);
        boolean anyMinP = filters.stream().anyMatch(RowFilter::limitsMinP);

        NDArray scaled = anyScale ? logits.div(column(manager, filters, RowFilter::temperature)) : logits;
        if (!anyTopK && !anyTopP && !anyMinP) {
            return new Filtered(scaled, null, null);
        }
        NDArray probs = scaled.softmax(1);
        NDArray threshold = null;
        NDArray ascending = null;
        if (anyTopP) {
            ascending = probs.sort(1);
            threshold = topKTopPThreshold(ascending, filters, vocab, anyTopK, manager);
        } else if (anyTopK) {
            threshold = topKThreshold(probs, filters, vocab, manager);
        }
        if (anyMinP) {
            NDArray best = ascending != null ? ascending.get(lastColumn(vocab)) : probs.max(new int[] {1}, true);
            NDArray minPThreshold = best.mul(column(manager, filters, RowFilter::minP));
            threshold = threshold == null ? minPThreshold : threshold.maximum(minPThreshold);
        }
        return new Filtered(scaled, probs, probs.lt(threshold));
    }

    /** Without top-p, a partial sort up to the largest k suffices; rows without top-k get threshold 0. */
    private static NDArray topKThreshold(NDArray probs, List<RowFilter> filters, long vocab, NDManager manager) {
        int rows = filters.size();
        int maxK = 1;
        long[] kthColumn = new long[rows];
        float[] applies = new float[rows];
        for (int r = 0; r < rows; r++) {
            RowFilter f = filters.get(r);
            if (f.limitsTopK(vocab)) {
                maxK = Math.max(maxK, f.topK());
                kthColumn[r] = f.topK() - 1;
                applies[r] = 1f;
            }
        }
        NDArray best = probs.topK(maxK, 1, true, true).get(0);
        return best.gather(manager.create(kthColumn, new Shape(rows, 1)), 1)
                .mul(manager.create(applies, new Shape(rows, 1)));
    }

    /**
     * Works on the probabilities sorted ascending, where the kept tokens are a suffix. Top-p applies
     * to what top-k kept, renormalized (vLLM): a token goes when the mass at and below it is at most
     * (1 - p) of the kept mass, i.e. when the tokens above it already reach p. The threshold is the
     * first surviving probability.
     */
    private static NDArray topKTopPThreshold(NDArray ascending, List<RowFilter> filters, long vocab,
            boolean anyTopK, NDManager manager) {
        int rows = filters.size();
        if (anyTopK) {
            long[] kthColumn = new long[rows];
            for (int r = 0; r < rows; r++) {
                RowFilter f = filters.get(r);
                kthColumn[r] = f.limitsTopK(vocab) ? vocab - f.topK() : 0;
            }
            NDArray kth = ascending.gather(manager.create(kthColumn, new Shape(rows, 1)), 1);
            // In place: zeroing below the k-th keeps the last column (the best) for min-p.
            ascending.set(ascending.lt(kth), 0f);
        }
        NDArray cumulative = ascending.cumSum(1);
        NDArray kept = cumulative.get(lastColumn(vocab));
        // Strictly below 1, so the last (best) token always survives and the count stays < vocab.
        NDArray dropShare = column(manager, filters, f -> Math.min(1f - f.topP(), Math.nextDown(1f)));
        NDArray removedCount = cumulative.lte(kept.mul(dropShare)).sum(new int[] {1}, true);
        return ascending.gather(removedCount, 1);
    }

    private static NDArray column(NDManager manager, List<RowFilter> filters, ToDoubleFunction<RowFilter> value) {
        float[] values = new float[filters.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = (float) value.applyAsDouble(filters.get(r));
        }
        return manager.create(values, new Shape(values.length, 1));
    }

    private static NDIndex lastColumn(long vocab) {
        return new NDIndex().addAllDim().addSliceDim(vocab - 1, vocab);
    }
}
