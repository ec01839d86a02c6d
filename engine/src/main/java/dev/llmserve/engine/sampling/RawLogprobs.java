package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Log-probabilities under the model's raw distribution (log_softmax of the unprocessed logits, vLLM's
 * default), computed only for the rows that asked: one gather for the chosen tokens and one top-k for
 * the alternatives.
 */
final class RawLogprobs {

    private RawLogprobs() {}

    static List<SampledToken> attach(NDArray rawLogits, long[] ids, List<SamplingRow> rows, NDManager manager) {
        int[] asking = IntStream.range(0, rows.size()).filter(r -> rows.get(r).params().logprobs() >= 0).toArray();
        List<SampledToken> tokens = new ArrayList<>(rows.size());
        for (long id : ids) {
            tokens.add(new SampledToken((int) id, Float.NaN, List.of()));
        }
        if (asking.length == 0) {
            return tokens;
        }
        NDArray raw = asking.length == rows.size()
                ? rawLogits
                : rawLogits.get(manager.create(IntStream.of(asking).asLongStream().toArray()));
        NDArray logprobs = raw.logSoftmax(1);
        long[] chosenIds = IntStream.of(asking).mapToLong(r -> ids[r]).toArray();
        float[] chosen = logprobs.gather(manager.create(chosenIds, new Shape(asking.length, 1)), 1).toFloatArray();

        long vocab = rawLogits.getShape().get(1);
        int mostAsked = IntStream.of(asking).map(r -> rows.get(r).params().logprobs()).max().orElse(0);
        int topN = (int) Math.min(vocab, mostAsked);
        float[] topValues = new float[0];
        long[] topIds = new long[0];
        if (topN > 0) {
            NDList top = logprobs.topK(topN, 1, true, true);
            topValues = top.get(0).toFloatArray();
            topIds = top.get(1).toLongArray();
        }
        for (int a = 0; a < asking.length; a++) {
            int r = asking[a];
            int n = (int) Math.min(vocab, rows.get(r).params().logprobs());
            List<TokenLogprob> alternatives = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                alternatives.add(new TokenLogprob((int) topIds[a * topN + i], topValues[a * topN + i]));
            }
            tokens.set(r, new SampledToken((int) ids[r], chosen[a], List.copyOf(alternatives)));
        }
        return tokens;
    }
}
