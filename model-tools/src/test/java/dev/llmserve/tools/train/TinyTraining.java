package dev.llmserve.tools.train;

import dev.llmserve.engine.weights.TensorDType;
import java.nio.file.Path;

/** Tiny shapes and synthetic text so training tests run in seconds without a corpus. */
final class TinyTraining {

    static final int VOCAB = 17;
    static final ModelTokens SPECIAL = new ModelTokens(VOCAB, 0);
    static final ModelShape SHAPE = new ModelShape(32, 64, 2, 4, 2, 64, 10000, 1e-5);

    private TinyTraining() {}

    /** A stream with learnable structure: counting runs 1..k separated by the end-of-text id. */
    static TokenStream countingText(int length, long seed) {
        java.util.Random random = new java.util.Random(seed);
        int[] ids = new int[length];
        int i = 0;
        while (i < length) {
            int runLength = 3 + random.nextInt(VOCAB - 4);
            for (int k = 1; k <= runLength && i < length; k++) {
                ids[i++] = k;
            }
            if (i < length) {
                ids[i++] = 0;
            }
        }
        return new TokenStream(ids);
    }

    static TrainingSettings settings(Path out, int steps) {
        return new TrainingSettings(SHAPE, 16, 8, steps, 3e-3, 3e-4, 2, 0.1, 0.9, 0.95, 1.0, 0.1, 7, 0, 0,
                TensorDType.F32, out);
    }
}
