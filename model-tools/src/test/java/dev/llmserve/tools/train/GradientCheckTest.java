package dev.llmserve.tools.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Back-propagation through the engine's forward pass agrees with central differences, tensor by tensor,
 * along a unit direction d ({@link #direction}): N(h) = (f(w + h·d) − f(w − h·d)) / 2h, f the float32 loss. Its
 * distance from the exact f'·d, and the analytic g·d's, add up from:
 * <ul>
 *   <li>truncation, h²·f'''/6 + O(h⁴): by Richardson, N(2h) − N(h) = 3·h²·f'''/6 + O(h⁴), so at most
 *       |N(2h) − N(h)| / 3 plus that estimate's own rounding, (r/2 + r) / 3 = r/2 for each rounding r
 *       below (the O(h⁴) rest is about h² ≈ 1e-4 of it);
 *   <li>rounding r of N(h): ε_f per evaluation of f (the logits' {@link FloatErrorModel#againstExact} of
 *       the path terms times the logit scale, which moves a cross-entropy by at most twice that, plus
 *       log_softmax's and the mean's own rounding); f(w ± h·d) round independently, so r = √2·ε_f / 2h;
 *   <li>rounding of w + t·d when stored: u·|w_i| per entry, which moves N by u·Σ|g_i·w_i| / h;
 *   <li>the analytic side: the backward pass sums as many terms as the forward, againstExact(path
 *       terms)·Σ|g_i·d_i| (g·d itself is summed in double).
 * </ul>
 * h = 1e-2 keeps truncation (h²/6·f''' ≈ 2e-5·f''') and rounding (√2·ε_f / 2h ≈ 70·ε_f) of one order.
 */
class GradientCheckTest {

    private static final double H = 1e-2;

    @Test
    void gradientsOfEveryParameterMatchCentralDifferences() {
        ModelConfig config = TinyTraining.SHAPE.modelConfig(TinyTraining.VOCAB, 0, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, 11);
            // norm gains away from one and larger weights, so no path is an identity and every one carries signal
            parameters.byName().values().forEach(p -> p.muli(2));
            CausalLm model = new CausalLm(config, manager);
            Batch batch = new BatchSampler(TinyTraining.countingText(400, 1), 2, 6, 5).batch(manager, 0);
            LabelSmoothedCrossEntropy objective = new LabelSmoothedCrossEntropy(0.1);

            double loss;
            double scale;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(manager, parameters, batch.inputs());
                scale = FloatErrorModel.scale(logits.toFloatArray());
                NDArray objectiveValue = objective.loss(logits, batch.targets());
                loss = objectiveValue.getFloat();
                collector.backward(objectiveValue);
            }
            check(config, parameters, model, batch, objective, scale, loss, manager);
        }
    }

    private static void check(ModelConfig config, LlamaParameters parameters, CausalLm model, Batch batch,
            LabelSmoothedCrossEntropy objective, double logitScale, double loss, NDManager manager) {
        long rows = batch.targets().size();
        long vocab = config.vocabSize();
        long pathTerms = FloatErrorModel.llamaPathTerms(config, Math.toIntExact(batch.inputs().getShape().get(1)));
        double logSoftmax = FloatErrorModel.logSoftmax(vocab, 4 * logitScale + Math.log(vocab));
        double lossRounding = 2 * FloatErrorModel.againstExact(pathTerms) * logitScale + logSoftmax
                + FloatErrorModel.againstExact(rows * vocab) * loss;
        // f(w + h·d) and f(w − h·d) round independently: their difference is off by √2·ε_f
        double differenceRounding = Math.sqrt(2) * lossRounding;
        Random random = new Random(2);
        BoundCheck check = BoundCheck.named("analytic vs central-difference directional derivative");
        for (Map.Entry<String, NDArray> e : parameters.byName().entrySet()) {
            NDArray weight = e.getValue();
            float[] w = weight.toFloatArray();
            float[] g = weight.getGradient().toFloatArray();
            double[] d = direction(g, random);
            double analytic = 0;
            double gd = 0;
            double gw = 0;
            for (int i = 0; i < d.length; i++) {
                analytic += g[i] * d[i];
                gd += Math.abs(g[i] * d[i]);
                gw += Math.abs(g[i] * (double) w[i]);
            }
            double[] f = new double[5]; // f(w + t·h·d) for t = −2 .. 2
            for (int t = -2; t <= 2; t++) {
                f[t + 2] = t == 0 ? loss : lossAt(weight, w, d, t * H, manager, model, parameters, batch, objective);
            }
            weight.set(w);
            double numeric = (f[3] - f[1]) / (2 * H);
            double wide = (f[4] - f[0]) / (4 * H);
            double rounding = differenceRounding / (2 * H) + FloatErrorModel.U * gw / H;
            double bound = Math.abs(wide - numeric) / 3 + 1.5 * rounding + FloatErrorModel.againstExact(pathTerms) * gd;
            String name = e.getKey();
            double directional = analytic;
            check.add(Math.abs(analytic - numeric), bound, () -> name + ": analytic " + directional + ", numeric "
                    + numeric);
            assertTrue(Math.abs(analytic) > 2 * bound, name + ": too little signal, a derivative off by half would"
                    + " pass (" + analytic + " vs a bound of " + bound + ")");
        }
        check.report();
    }

    /**
     * A unit direction half along the gradient and half random: the directional derivative is then about
     * 0.7·|g| instead of |g|/√n, far above the rounding terms, and the random half still checks g off its
     * own direction (a wrong entry of g moves g·d away from the numeric derivative either way).
     */
    private static double[] direction(float[] g, Random random) {
        double[] r = new double[g.length];
        double gNorm = 0;
        double rNorm = 0;
        for (int i = 0; i < g.length; i++) {
            r[i] = random.nextGaussian();
            gNorm += (double) g[i] * g[i];
            rNorm += r[i] * r[i];
        }
        double[] d = new double[g.length];
        double norm = 0;
        for (int i = 0; i < g.length; i++) {
            d[i] = g[i] / Math.sqrt(gNorm) + r[i] / Math.sqrt(rNorm);
            norm += d[i] * d[i];
        }
        for (int i = 0; i < g.length; i++) {
            d[i] /= Math.sqrt(norm);
        }
        return d;
    }

    private static double lossAt(NDArray weight, float[] w, double[] d, double step, NDManager manager,
            CausalLm model, LlamaParameters parameters, Batch batch, LabelSmoothedCrossEntropy objective) {
        float[] moved = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            moved[i] = (float) (w[i] + step * d[i]);
        }
        weight.set(moved);
        try (NDManager scope = manager.newSubManager()) {
            return objective.loss(model.logits(scope, parameters, batch.inputs()), batch.targets()).getFloat();
        }
    }
}
