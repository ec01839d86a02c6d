package dev.llmserve.tools.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Random windows of the training stream. The windows of step s depend only on (seed, s), so a run
 * resumed from a checkpoint sees exactly the batches the uninterrupted run would have.
 */
public record BatchSampler(TokenStream stream, int batchSize, int length, long seed) {

    public BatchSampler {
        if (stream.size() < length + 2) {
            throw new IllegalArgumentException("the training text has " + stream.size()
                    + " tokens, fewer than one window of " + (length + 1));
        }
    }

    public Batch batch(NDManager manager, int step) {
        Random random = new Random(seed * 1_000_003L + step);
        long[] inputs = new long[batchSize * length];
        long[] targets = new long[batchSize * length];
        int[] ids = stream.ids();
        for (int b = 0; b < batchSize; b++) {
            int start = random.nextInt(ids.length - length - 1);
            for (int t = 0; t < length; t++) {
                inputs[b * length + t] = ids[start + t];
                targets[b * length + t] = ids[start + t + 1];
            }
        }
        return new Batch(manager.create(inputs, new Shape(batchSize, length)), manager.create(targets));
    }
}
