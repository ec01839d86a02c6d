package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** TEMPORARY greedy-only placeholder so the integrator can compile; replaced by the sampling branch. */
public final class Sampler {
    public List<SampledToken> sample(NDArray logits, List<SamplingRow> rows) {
        long[] ids = logits.argMax(1).toLongArray();
        List<SampledToken> out = new ArrayList<>();
        for (long id : ids) {
            out.add(new SampledToken((int) id, Float.NaN, List.of()));
        }
        return out;
    }
}
