package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Picks the next token of every row of a batch. Greedy rows take the argmax of the adjusted logits
 * (ties: lowest id). Sampled rows draw from their processed distribution (see {@link LogitsProcessor})
 * by inverse CDF with one uniform made from (seed, outputIndex), so a seed gives the same tokens
 * whatever else is in the batch. Only token ids and requested logprobs leave the device.
 */
public final class Sampler {

    public List<SampledToken> sample(NDArray logits, List<SamplingRow> rows) {
        LogitsProcessor.checkShape(logits, rows);
        try (CallScope scope = new CallScope(logits)) {
            NDArray adjusted = LogitAdjustments.apply(logits, rows, scope.manager());
            boolean anyGreedy = rows.stream().anyMatch(row -> row.params().greedy());
            boolean anySampled = rows.stream().anyMatch(row -> !row.params().greedy());
            long[] greedy = anyGreedy ? adjusted.argMax(1).toLongArray() : null;
            long[] drawn = anySampled ? draw(adjusted, rows, scope) : null;
            long[] ids = new long[rows.size()];
            for (int r = 0; r < ids.length; r++) {
                ids[r] = rows.get(r).params().greedy() ? greedy[r] : drawn[r];
            }
            return TokenLogprobs.attach(logits, ids, rows, scope.manager());
        }
    }

    private static long[] draw(NDArray adjusted, List<SamplingRow> rows, CallScope scope) {
        List<RowFilter> filters = rows.stream()
                .map(row -> row.params().greedy() ? RowFilter.NONE : RowFilter.of(row.params()))
                .toList();
        ProbabilityFilter.Filtered filtered = ProbabilityFilter.apply(adjusted, filters, scope.manager());
        NDArray weights = filtered.softmax();
        if (filtered.removed() != null) {
            weights.set(filtered.removed(), 0f);
        }
        float[] uniforms = new float[rows.size()];
        for (int r = 0; r < uniforms.length; r++) {
            SamplingRow row = rows.get(r);
            uniforms[r] = InverseCdf.uniform(row.seed(), row.outputIndex());
        }
        return InverseCdf.draw(weights, uniforms, scope.manager());
    }
}
