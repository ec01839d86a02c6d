package dev.llmserve.tools.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.model.TensorSource;
import dev.llmserve.tools.train.CausalLm;
import dev.llmserve.tools.train.TokenStream;

/**
 * How well a draft predicts its target on held-out text, teacher-forced: greedy agreement (same
 * argmax) and the expected speculative acceptance Σ_v min(p(v), q(v)) at temperature 1, which is the
 * probability that rejection sampling accepts the draft's token.
 */
public final class DraftAgreement {

    public record Result(double greedyAgreement, double acceptanceRate, long positions) {}

    private final TokenStream stream;
    private final int length;
    private final int batchSize;

    public DraftAgreement(TokenStream stream, int length, int batchSize) {
        this.stream = stream;
        this.length = length;
        this.batchSize = batchSize;
    }

    public Result measure(NDManager manager, CausalLm target, TensorSource targetParameters, CausalLm draft,
            TensorSource draftParameters) {
        int windows = stream.size() / length;
        double agree = 0;
        double accept = 0;
        long positions = 0;
        for (int first = 0; first < windows; first += batchSize) {
            int count = Math.min(batchSize, windows - first);
            try (NDScope arrays = new NDScope(); NDManager scope = manager.newSubManager()) {
                long[] ids = new long[count * length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = stream.ids()[first * length + i];
                }
                NDArray inputs = scope.create(ids, new Shape(count, length));
                NDArray p = target.logits(scope, targetParameters, inputs).softmax(-1);
                NDArray q = draft.logits(scope, draftParameters, inputs).softmax(-1);
                agree += p.argMax(-1).eq(q.argMax(-1)).sum().getLong();
                accept += p.minimum(q).sum().getFloat();
                positions += ids.length;
            }
        }
        return new Result(agree / positions, accept / positions, positions);
    }
}
