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

    /** Candidates ranked first for top-k / top-p; typical nuclei fit, flatter ones make K grow. */
    private static final int FIRST_CANDIDATES = 128;
    private static final int GROWTH = 8;
    private static final NDIndex FIRST_COLUMN = new NDIndex().addAllDim().addSliceDim(0, 1);

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
        NDArray ranked = null;
        if (anyTopK || anyTopP) {
            Nucleus nucleus = topKTopP(probs, filters, vocab, anyTopK, anyTopP, manager);
            threshold = nucleus.threshold();
            ranked = nucleus.ranked();
        }
        if (anyMinP) {
            NDArray best = ranked != null ? ranked.get(FIRST_COLUMN) : probs.max(new int[] {1}, true);
            NDArray minPThreshold = best.mul(column(manager, filters, RowFilter::minP));
            threshold = threshold == null ? minPThreshold : threshold.maximum(minPThreshold);
        }
        return new Filtered(scaled, probs, probs.lt(threshold));
    }

    /** The top-k / top-p threshold [B, 1] and the K largest probabilities it came from, best first. */
    private record Nucleus(NDArray threshold, NDArray ranked) {}

    /**
     * Top-k and top-p from the K most probable tokens, best first: a full sort of the vocabulary costs
     * ~2 ms a row on CPU (V = 32000), a top-K with small K ~0.1 ms. Top-p applies to what top-k kept,
     * renormalized (vLLM): a row keeps tokens up to the first whose cumulative probability reaches p
     * times the mass of its k best (or p, without top-k). Top-p starts from a guess for K, which grows
     * while some row's nucleus does not fit. The first K sorted values and their prefix sums do not
     * depend on K, so neither does a row's threshold, whatever else shares the batch.
     */
    private static Nucleus topKTopP(NDArray probs, List<RowFilter> filters, long vocab, boolean anyTopK,
            boolean anyTopP, NDManager manager) {
        int rows = filters.size();
        int maxK = filters.stream().filter(f -> f.limitsTopK(vocab)).mapToInt(RowFilter::topK).max().orElse(1);
        // Share of all the mass for top-p rows without top-k; 0 for rows with neither filter (their
        // threshold is zeroed below) and for top-k rows, whose share is of their k best.
        NDArray allShare = column(manager, filters, f -> f.limitsTopK(vocab) || !f.limitsTopP() ? 0f : f.topP());
        NDArray kth = null;
        NDArray topKShare = null;
        if (anyTopK) {
            long[] kthColumn = filters.stream().mapToLong(f -> f.limitsTopK(vocab) ? f.topK() - 1 : 0).toArray();
            kth = manager.create(kthColumn, new Shape(rows, 1));
            topKShare = column(manager, filters, f -> f.limitsTopK(vocab) ? f.topP() : 0f);
        }
        int k = (int) Math.min(vocab, anyTopP ? Math.max(FIRST_CANDIDATES, maxK) : maxK);
        while (true) {
            NDArray ranked = probs.topK(k, 1, true, true).get(0);
            NDArray cumulative = ranked.cumSum(1);
            NDArray mass = anyTopK ? cumulative.gather(kth, 1).mul(topKShare).add(allShare) : allShare;
            NDArray lastKept = cumulative.lt(mass).sum(new int[] {1}, true);
            if (anyTopP && k < vocab && lastKept.max().getLong() >= k) {
                k = (int) Math.min(vocab, (long) k * GROWTH);
                continue;
            }
            // At K = V rounding may leave p unreached: then every token stays.
            NDArray threshold = ranked.gather(lastKept.minimum(k - 1), 1);
            if (!filters.stream().allMatch(f -> f.ranks(vocab))) {
                threshold = threshold.mul(column(manager, filters, f -> f.ranks(vocab) ? 1f : 0f));
            }
            return new Nucleus(threshold, ranked);
        }
    }

    private static NDArray column(NDManager manager, List<RowFilter> filters, ToDoubleFunction<RowFilter> value) {
        float[] values = new float[filters.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = (float) value.applyAsDouble(filters.get(r));
        }
        return manager.create(values, new Shape(values.length, 1));
    }
}
