package dev.llmserve.engine.speculative;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.sampling.DrawPurpose;
import dev.llmserve.engine.sampling.InverseCdf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rule of speculative sampling (Leviathan et al. 2023, Algorithm 1; Chen et al. 2023,
 * Algorithm 2), which keeps the target's distribution exactly. For one sequence with draft tokens
 * x1..xγ drawn from q1..qγ, and target distributions p1..pγ+1 (p_i scores x_i; pγ+1 follows xγ):
 *
 * <pre>
 *   for i = 1..γ:
 *       r ~ U[0, 1)
 *       if r &lt; min(1, p_i(x_i) / q_i(x_i)): accept x_i
 *       else: emit y ~ norm(max(0, p_i − q_i)) and stop
 *   all accepted: emit y ~ pγ+1
 * </pre>
 *
 * With p a point mass (greedy) the rule accepts exactly while x_i is the target's argmax and then
 * emits that argmax, whatever q is; {@link DraftVerifier} does that directly, without randomness.
 *
 * <p>Batched: every position's test and every position's replacement draw run at once on the
 * device, the bonus position as a replacement against q = 0 (which is p); the host keeps, per
 * sequence, the drafts before the first rejection and the replacement drawn there. The uniforms come
 * from (seed, output index, purpose) only: r from {@link DrawPurpose#ACCEPT}, the residual draw from
 * {@link DrawPurpose#RESIDUAL}, the bonus from {@link DrawPurpose#SAMPLE} (the draft's own draws use
 * SAMPLE at the draft positions, never at the bonus position), so no draw shares randomness with
 * another and results do not depend on the batch.
 *
 * <p>{@link #accepted} and {@link #replacementWeights} are the two lines of the rule a reader checks
 * against the papers.
 */
public class RejectionSampler {

    /** One sequence's drafts x1..xγ, and the seed and output index of x1 (the uniforms' streams). */
    public record Drafts(int[] tokens, long seed, int firstOutputIndex) {

        int rows() {
            return tokens.length + 1;
        }
    }

    /**
     * @param p [Σ(γ+1), V] the target's processed distributions, sequence after sequence, γ+1 rows each
     * @param q the same shape: the draft's distribution at each draft row, zeros at each sequence's last row
     * @return per sequence, the accepted drafts followed by one token from the target
     */
    public final List<int[]> sample(NDArray p, NDArray q, List<Drafts> drafts) {
        int rows = drafts.stream().mapToInt(Drafts::rows).sum();
        if (p.getShape().get(0) != rows || !p.getShape().equals(q.getShape())) {
            throw new IllegalArgumentException("expected p and q of " + rows + " rows, got " + p.getShape()
                    + " and " + q.getShape());
        }
        long[] draftColumn = new long[rows];
        float[] acceptUniforms = new float[rows];
        float[] drawUniforms = new float[rows];
        int row = 0;
        for (Drafts d : drafts) {
            int gamma = d.tokens().length;
            for (int i = 0; i <= gamma; i++, row++) {
                int outputIndex = d.firstOutputIndex() + i;
                // The bonus row has no draft: any valid id will do, its test is never read.
                draftColumn[row] = i < gamma ? d.tokens()[i] : 0;
                acceptUniforms[row] = InverseCdf.uniform(d.seed(), outputIndex, DrawPurpose.ACCEPT);
                drawUniforms[row] = InverseCdf.uniform(d.seed(), outputIndex,
                        i < gamma ? DrawPurpose.RESIDUAL : DrawPurpose.SAMPLE);
            }
        }
        NDManager m = p.getManager();
        Shape column = new Shape(rows, 1);
        NDArray accepted = accepted(p, q, m.create(draftColumn, column), m.create(acceptUniforms, column));
        NDArray replacement = InverseCdf.positions(replacementWeights(p, q), m.create(drawUniforms, column));
        // One transfer: [R, 2] of (accepted, replacement).
        long[] both = accepted.toType(DataType.INT64, false).concat(replacement.toType(DataType.INT64, false), 1)
                .toLongArray();
        List<int[]> out = new ArrayList<>(drafts.size());
        row = 0;
        for (Drafts d : drafts) {
            int n = 0;
            while (n < d.tokens().length && both[2 * (row + n)] != 0) {
                n++;
            }
            int[] emitted = Arrays.copyOf(d.tokens(), n + 1);
            emitted[n] = (int) both[2 * (row + n) + 1];
            out.add(emitted);
            row += d.rows();
        }
        return out;
    }

    /**
     * [R, 1] whether each row's draft token x is accepted: r &lt; min(1, p(x) / q(x)), written as
     * r · q(x) &lt; p(x) (no division; r &lt; 1, so a ratio of 1 or more always accepts and p(x) = 0
     * never does).
     *
     * @param draftTokens [R, 1] x per row
     * @param r [R, 1] uniforms in [0, 1)
     */
    protected NDArray accepted(NDArray p, NDArray q, NDArray draftTokens, NDArray r) {
        return r.mul(q.gather(draftTokens, 1)).lt(p.gather(draftTokens, 1));
    }

    /**
     * [R, V] what a row's replacement is drawn from: max(0, p − q), normalized by the draw. Rounding
     * alone can make it all zero (p = q, where a rejection cannot happen); p keeps the draw defined then.
     */
    protected NDArray replacementWeights(NDArray p, NDArray q) {
        NDArray residual = p.sub(q).maximum(0f);
        NDArray empty = residual.sum(new int[] {1}, true).eq(0f).toType(DataType.FLOAT32, false);
        return residual.add(p.mul(empty));
    }
}
