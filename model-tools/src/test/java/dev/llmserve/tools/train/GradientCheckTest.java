package dev.llmserve.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.llmserve.engine.config.ModelConfig;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Back-propagation through the engine's forward pass agrees with finite differences, tensor by tensor. */
class GradientCheckTest {

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

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(objective.loss(model.logits(manager, parameters, batch.inputs()), batch.targets()));
            }
            Random random = new Random(2);
            double h = 1e-2;
            for (Map.Entry<String, NDArray> e : parameters.byName().entrySet()) {
                NDArray weight = e.getValue();
                float[] direction = new float[Math.toIntExact(weight.size())];
                for (int i = 0; i < direction.length; i++) {
                    direction[i] = (float) random.nextGaussian();
                }
                NDArray d = manager.create(direction, weight.getShape());
                d = d.div(d.norm());
                double analytic = weight.getGradient().mul(d).sum().getFloat();
                weight.addi(d.mul(h));
                double plus = loss(manager, model, parameters, batch, objective);
                weight.subi(d.mul(2 * h));
                double minus = loss(manager, model, parameters, batch, objective);
                weight.addi(d.mul(h));
                double numeric = (plus - minus) / (2 * h);
                assertTrue(Math.abs(analytic) > 1e-3, e.getKey() + ": no gradient signal (" + analytic + ")");
                assertEquals(numeric, analytic, 0.01 * Math.abs(numeric) + 1e-4,
                        e.getKey() + ": directional derivative");
            }
        }
    }

    private static double loss(NDManager manager, CausalLm model, LlamaParameters parameters, Batch batch,
            LabelSmoothedCrossEntropy objective) {
        try (NDManager scope = manager.newSubManager()) {
            return objective.loss(model.logits(scope, parameters, batch.inputs()), batch.targets()).getFloat();
        }
    }
}
