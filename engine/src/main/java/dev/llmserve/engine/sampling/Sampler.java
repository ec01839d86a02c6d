package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Picks the next token of every row of a batch. Greedy rows take the argmax of the adjusted logits
 * (ties: lowest id). Sampled rows draw from their processed distribution (see {@link LogitsProcessor})
 * by inverse CDF with one uniform made from (seed, outputIndex). Rows with top-k or top-p draw among
 * their ranked candidates ([B, K] work instead of [B, V]), the others in vocabulary order; which way
 * a row goes depends on its own parameters only, so a seed gives the same tokens whatever else is in
 * the batch. Only token ids and requested logprobs leave the device.
 */
public final class Sampler {

    public List<SampledToken> sample(NDArray logits, List<SamplingRow> rows) {
        LogitsProcessor.checkShape(logits, rows);
        try (CallScope scope = new CallScope(logits)) {
            NDArray adjusted = LogitAdjustments.apply(logits, rows, scope.manager());
            boolean anyGreedy = rows.stream().anyMatch(row -> row.params().greedy());
            boolean anySampled = rows.stream().anyMatch(row -> !row.params().greedy());
            long[] greedy = anyGreedy ? adjusted.argMax(1).toLongArray() : null;
            long[] drawn = anySampled ? draw(adjusted, rows, scope.manager()) : null;
            long[] ids = new long[rows.size()];
            for (int r = 0; r < ids.length; r++) {
                ids[r] = rows.get(r).params().greedy() ? greedy[r] : drawn[r];
            }
            return RawLogprobs.attach(logits, ids, rows, scope.manager());
        }
    }

    /** Token ids for the sampled rows (entries of greedy rows are meaningless). */
    private static long[] draw(NDArray adjusted, List<SamplingRow> rows, NDManager manager) {
        long vocab = adjusted.getShape().get(1);
        List<RowFilter> filters = rows.stream()
                .map(row -> row.params().greedy() ? RowFilter.NONE : RowFilter.of(row.params()))
                .toList();
        ProbabilityFilter.Filtered filtered = ProbabilityFilter.apply(adjusted, filters, manager);
        NDArray uniforms = uniforms(rows, manager);

        long[] fromRanked = null;
        if (filtered.ranked() != null) {
            ProbabilityFilter.Ranked ranked = filtered.ranked();
            NDArray weights = ranked.probabilities().mul(ranked.probabilities().gte(filtered.threshold()));
            fromRanked = ranked.tokenIds().gather(InverseCdf.positions(weights, uniforms), 1).toLongArray();
        }
        long[] fromVocab = null;
        boolean anyUnranked = IntStream.range(0, filters.size())
                .anyMatch(r -> !rows.get(r).params().greedy() && !filters.get(r).ranks(vocab));
        if (anyUnranked) {
            NDArray weights = filtered.softmax();
            NDArray removed = filtered.removed();
            if (removed != null) {
                weights.set(removed, 0f);
            }
            fromVocab = InverseCdf.positions(weights, uniforms).toLongArray();
        }
        long[] ids = new long[rows.size()];
        for (int r = 0; r < ids.length; r++) {
            if (filters.get(r).ranks(vocab)) {
                ids[r] = fromRanked[r];
            } else if (fromVocab != null) {
                ids[r] = fromVocab[r];
            }
        }
        return ids;
    }

    private static NDArray uniforms(List<SamplingRow> rows, NDManager manager) {
        float[] uniforms = new float[rows.size()];
        for (int r = 0; r < uniforms.length; r++) {
            SamplingRow row = rows.get(r);
            uniforms[r] = InverseCdf.uniform(row.seed(), row.outputIndex(), DrawPurpose.SAMPLE);
        }
        return manager.create(uniforms, new Shape(uniforms.length, 1));
    }
}
