package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
     * The temperature-scaled logits; their softmax and each row's threshold ({@code null} when no
     * filter needed them); and, when some row uses top-k or top-p, the K most probable tokens.
     */
    record Filtered(NDArray logits, NDArray probabilities, NDArray threshold, Ranked ranked) {

        /** Softmax of the scaled logits, removed tokens included. */
        NDArray softmax() {
            return probabilities != null ? probabilities : logits.softmax(1);
        }

        /** The removed tokens [B, V], or {@code null} when no row removes any. */
        NDArray removed() {
            return threshold != null ? probabilities.lt(threshold) : null;
        }
    }

    /**
     * The K largest probabilities [B, K] of each row, best first, and their token ids. Every token a
     * top-k or top-p row keeps is among them (except ties with the K-th, which topK breaks).
     */
    record Ranked(NDArray probabilities, NDArray tokenIds) {}

    private ProbabilityFilter() {}

    static Filtered apply(NDArray logits, List<RowFilter> filters, NDManager manager) {
        long vocab = logits.getShape().get(1);
        boolean anyScale = filters.stream().anyMatch(RowFilter::scales);
        boolean anyTopK = filters.stream().anyMatch(f -> f.limitsTopK(vocab));
        boolean anyTopP = filters.stream().anyMatch(RowFilter::limitsTopP);
        boolean anyMinP = filters.stream().anyMatch(RowFilter::limitsMinP);

        NDArray scaled = anyScale ? logits.div(column(manager, filters, RowFilter::temperature)) : logits;
        if (!anyTopK && !anyTopP && !anyMinP) {
            return new Filtered(scaled, null, null, null);
        }
        NDArray probs = scaled.softmax(1);
        NDArray threshold = null;
        Ranked ranked = null;
        if (anyTopK || anyTopP) {
            ranked = rank(probs, filters, vocab, anyTopP, manager);
            threshold = topKTopPThreshold(ranked.probabilities(), filters, vocab, anyTopK, manager);
        }
        if (anyMinP) {
            NDArray best = ranked != null
                    ? ranked.probabilities().get(FIRST_COLUMN)
                    : probs.max(new int[] {1}, true);
            NDArray minPThreshold = best.mul(column(manager, filters, RowFilter::minP));
            threshold = threshold == null ? minPThreshold : threshold.maximum(minPThreshold);
        }
        return new Filtered(scaled, probs, threshold, ranked);
    }

    /**
     * The K most probable tokens, for K large enough for every row's top-k and top-p: a full sort of
     * the vocabulary costs ~2 ms a row on CPU (V = 32000), a top-K with small K ~0.1 ms. Top-p starts
     * from a guess for K, which grows while some row's nucleus does not fit. The first K sorted values
     * and their prefix sums do not depend on K, so neither does a row's result, whatever else shares
     * the batch.
     */
    private static Ranked rank(NDArray probs, List<RowFilter> filters, long vocab, boolean anyTopP,
            NDManager manager) {
        int maxK = filters.stream().filter(f -> f.limitsTopK(vocab)).mapToInt(RowFilter::topK).max().orElse(1);
        if (!anyTopP) {
            return ranked(probs.topK(maxK, 1, true, true));
        }
        // A top-k row's nucleus lies within its k best; a top-p row's fits when the K best reach p.
        NDArray topPOnly = topPOnlyShare(filters, vocab, manager);
        int k = (int) Math.min(vocab, Math.max(FIRST_CANDIDATES, maxK));
        while (true) {
            Ranked ranked = ranked(probs.topK(k, 1, true, true));
            if (k == vocab || reachesShare(ranked.probabilities().cumSum(1), topPOnly)) {
                return ranked;
            }
            k = (int) Math.min(vocab, (long) k * GROWTH);
        }
    }

    /**
     * Top-k and top-p as one threshold [B, 1]. Top-p applies to what top-k kept, renormalized (vLLM):
     * a row keeps tokens up to the first whose cumulative probability reaches p times the mass of its
     * k best (or p, without top-k). Rows with neither filter get 0.
     */
    private static NDArray topKTopPThreshold(NDArray ranked, List<RowFilter> filters, long vocab, boolean anyTopK,
            NDManager manager) {
        NDArray cumulative = ranked.cumSum(1);
        NDArray mass = topPOnlyShare(filters, vocab, manager);
        if (anyTopK) {
            long[] kthColumn = filters.stream().mapToLong(f -> f.limitsTopK(vocab) ? f.topK() - 1 : 0).toArray();
            NDArray kth = manager.create(kthColumn, new Shape(filters.size(), 1));
            NDArray topKShare = column(manager, filters, f -> f.limitsTopK(vocab) ? f.topP() : 0f);
            mass = cumulative.gather(kth, 1).mul(topKShare).add(mass);
        }
        NDArray lastKept = cumulative.lt(mass).sum(new int[] {1}, true);
        // At K = V rounding may leave p unreached: then every token stays.
        NDArray threshold = ranked.gather(lastKept.minimum(ranked.getShape().get(1) - 1), 1);
        if (!filters.stream().allMatch(f -> f.ranks(vocab))) {
            threshold = threshold.mul(column(manager, filters, f -> f.ranks(vocab) ? 1f : 0f));
        }
        return threshold;
    }

    /** Whether every row's cumulative probability ends at or above its share (the same sums as below). */
    private static boolean reachesShare(NDArray cumulative, NDArray share) {
        long last = cumulative.getShape().get(1) - 1;
        return cumulative.get(new NDIndex().addAllDim().addSliceDim(last, last + 1)).gte(share).all().getBoolean();
    }

    /**
     * p for top-p rows without top-k; 0 for top-k rows (their share is of their k best) and for rows
     * with neither filter (their threshold is zeroed).
     */
    private static NDArray topPOnlyShare(List<RowFilter> filters, long vocab, NDManager manager) {
        return column(manager, filters, f -> f.limitsTopK(vocab) || !f.limitsTopP() ? 0f : f.topP());
    }

    private static Ranked ranked(NDList topK) {
        return new Ranked(topK.get(0), topK.get(1));
    }

    private static NDArray column(NDManager manager, List<RowFilter> filters, ToDoubleFunction<RowFilter> value) {
        float[] values = new float[filters.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = (float) value.applyAsDouble(filters.get(r));
        }
        return manager.create(values, new Shape(values.length, 1));
    }
}
