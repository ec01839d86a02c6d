package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.model.TensorSource;

/**
 * Held-out loss: the plain (unsmoothed) next-token cross-entropy over consecutive windows of the
 * validation stream, and its perplexity exp(loss).
 */
public final class Validation {

    private final TokenStream stream;
    private final int length;
    private final int batchSize;

    public Validation(TokenStream stream, int length, int batchSize) {
        this.stream = stream;
        this.length = length;
        this.batchSize = batchSize;
    }

    public record Result(double loss, long tokens) {
        public double perplexity() {
            return Math.exp(loss);
        }
    }

    public Result evaluate(NDManager manager, CausalLm model, TensorSource parameters) {
        LabelSmoothedCrossEntropy crossEntropy = new LabelSmoothedCrossEntropy(0);
        int windows = (stream.size() - 1) / length;
        double total = 0;
        long tokens = 0;
        for (int first = 0; first < windows; first += batchSize) {
            int count = Math.min(batchSize, windows - first);
            try (NDScope arrays = new NDScope(); NDManager step = manager.newSubManager()) {
                Batch batch = windows(step, first, count);
                NDArray loss = crossEntropy.loss(model.logits(step, parameters, batch.inputs()), batch.targets());
                total += loss.getFloat() * batch.tokens();
                tokens += batch.tokens();
            }
        }
        return new Result(total / tokens, tokens);
    }

    private Batch windows(NDManager manager, int first, int count) {
        long[] inputs = new long[count * length];
        long[] targets = new long[count * length];
        int[] ids = stream.ids();
        for (int w = 0; w < count; w++) {
            int start = (first + w) * length;
            for (int t = 0; t < length; t++) {
                inputs[w * length + t] = ids[start + t];
                targets[w * length + t] = ids[start + t + 1];
            }
        }
        return new Batch(manager.create(inputs, new Shape(count, length)), manager.create(targets));
    }
}
