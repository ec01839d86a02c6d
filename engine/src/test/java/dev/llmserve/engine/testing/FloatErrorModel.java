package dev.llmserve.engine.testing;

import dev.llmserve.engine.config.ModelConfig;

/**
 * How far two float32 computations of the same real-valued formula may drift apart, for tests that
 * compare logits, caches or probabilities. One place for the model so each bound in the tests says
 * which terms it counts instead of carrying a number that held on one machine.
 *
 * <p>The model. Every float32 operation rounds its exact result r to r(1 + δ) with |δ| ≤ {@link #U}. A
 * sum of K terms, in whatever order a kernel picks (blocking, vector width, threads — all of which
 * differ between Intel with AMX, AMD with AVX-512, AVX2-only CPUs and 1 or 2 intra-op threads), is
 * off by at most {@link #worstCase}(K)·Σ|terms|, and in practice by about √K·u·Σ|terms|, since the
 * roundings are independent and of either sign (Higham &amp; Mary, "A new approach to probabilistic
 * rounding error analysis", SIAM J. Sci. Comput. 2019). A forward pass is a chain of such sums whose
 * partial sums sit at the scale of the activations; RMSNorm keeps that scale, so the error reaching a
 * logit is about √K·u of the logit scale, K the number of terms on its path whose rounding differs
 * between the two computations compared: every term against an exact reference ({@link #againstExact}),
 * only the sums the two order differently when both are float32 ({@link #reassociated}); sums both
 * hand to the same kernel in the same shape round identically and cancel.
 */
public final class FloatErrorModel {

    /** Unit roundoff of float32, 2^-24: the largest relative error of one rounding. */
    public static final double U = 0x1p-24;

    /**
     * Multiple of the typical error a bound allows: the largest of the compared values sits a few
     * typical errors out (a Gaussian tail of 4σ is 6e-5), and the values of one step are not
     * independent (every logit of a row reads the same perturbed hidden state), so the union bound
     * over all of them would be far too loose.
     */
    public static final double LAMBDA = 4;

    private FloatErrorModel() {}

    /** Higham's γ_K = K·u / (1 − K·u): the worst case of any order of summation of K terms, per Σ|terms|. */
    public static double worstCase(long terms) {
        return terms * U / (1 - terms * U);
    }

    /**
     * Bound on |a − b| / scale for two float32 evaluations a, b of one chain that accumulates
     * {@code terms} terms in all, in orders that may differ: each is off by about √terms·u of the scale,
     * the two independently, so their difference by √(2·terms)·u, times {@link #LAMBDA}.
     */
    public static double reassociated(long terms) {
        return LAMBDA * Math.sqrt(2.0 * terms) * U;
    }

    /**
     * Bound on |a − b| / scale of one float32 evaluation against an exact (double precision) one: half of
     * {@link #reassociated}'s variance, since only one side rounds.
     */
    public static double againstExact(long terms) {
        return LAMBDA * Math.sqrt(terms) * U;
    }

    /**
     * Bound on |Σq − 1| for a float32 distribution q divided by its own float32 sum over its
     * {@code support} nonzero entries (a softmax, or the renormalization after a filter): the sum is off
     * by {@link #againstExact}(support) of itself, and the division (or one rounded reciprocal shared by
     * every entry, then each entry's product) adds at most 2u. Entries that are exactly 0 add nothing.
     */
    public static double normalization(long support) {
        return againstExact(support) + 2 * U;
    }

    /**
     * Bound on |Δ log q_i| of a float32 log_softmax over {@code classes} entries against exact: log S
     * moves by the normalizer's relative error ({@link #normalization}: its sum, and each term's exp
     * rounding), and x_i − (max + log S) and the log round at most 3 times, each of at most
     * {@code magnitude} = |x_i| + |max| + |log q_i|.
     */
    public static double logSoftmax(long classes, double magnitude) {
        return normalization(classes) + worstCase(3) * magnitude;
    }

    /**
     * Bound on |Δq_i| / q_i between two float32 softmaxes over {@code support} nonzero entries whose
     * inputs differ by at most {@code inputDiff} (absolute): the shift moves log q_i by at most
     * 2·inputDiff (its own, and the normalizer's, a q-weighted mean of all shifts); each side's exp (one
     * ulp, 2u) and normalization ({@link #normalization}) round on their own.
     */
    public static double softmaxRelative(double inputDiff, long support) {
        return Math.expm1(2 * inputDiff) + 2 * (normalization(support) + 2 * U);
    }

    /**
     * Terms accumulated on the way from the embedding to one logit of a Llama forward pass over
     * {@code context} key positions: per layer the RMSNorm mean (hidden), the q/k/v projection (hidden),
     * the scores (headDim), softmax's normalizer and the value average (context each), the output
     * projection (heads·headDim), the second RMSNorm mean (hidden), gate/up (hidden) and down
     * (intermediate); then the final RMSNorm and the LM head (hidden each).
     */
    public static long llamaPathTerms(ModelConfig config, int context) {
        return llamaPathTerms(config.hiddenSize(), config.numHeads() * config.headDim(), config.headDim(),
                config.intermediateSize(), config.numLayers(), context);
    }

    /** {@link #llamaPathTerms(ModelConfig, int)} from the shape alone. */
    public static long llamaPathTerms(int hidden, int attentionDim, int headDim, int intermediate, int layers,
            int context) {
        long perLayer = 4L * hidden + headDim + 2L * context + attentionDim + intermediate;
        return layers * perLayer + 2L * hidden;
    }

    /** Σ q in double: each float32 entry adds with a rounding of 2^-53, far below the float32 errors judged. */
    public static double sum(float[] q) {
        double total = 0;
        for (float v : q) {
            total += v;
        }
        return total;
    }

    /** The nonzero entries of a distribution: the terms its normalizer summed ({@link #normalization}). */
    public static int support(float[] q) {
        int nonzero = 0;
        for (float v : q) {
            nonzero += v != 0 ? 1 : 0;
        }
        return nonzero;
    }

    /** Largest |a − b|. */
    public static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

    /** The scale rounding errors are measured in: max |a|, and at least 1 so near-zero vectors are not judged entry by entry. */
    public static double scale(float[] a) {
        double s = 1;
        for (float v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    /** {@link #scale(float[])} over every row: one scale for a whole run's logits. */
    public static double scale(float[][] rows) {
        double s = 1;
        for (float[] row : rows) {
            s = Math.max(s, scale(row));
        }
        return s;
    }
}
