package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): the decay shrinks weights directly,
 * lr·λ·w, instead of passing through the adaptive moments. Moments are float32 and live as long as
 * the optimizer; updates run in place, outside gradient recording.
 */
public final class AdamW {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** Applies one update with the gradients currently held by the parameters. */
    public void step(LlamaParameters parameters, Map<String, NDArray> gradients, double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (Map.Entry<String, NDArray> e : parameters.byName().entrySet()) {
            String name = e.getKey();
            NDArray weight = e.getValue();
            NDArray gradient = gradients.get(name);
            NDManager owner = weight.getManager();
            NDArray m = firstMoments.computeIfAbsent(name, n -> kept(owner.zeros(weight.getShape())));
            NDArray v = secondMoments.computeIfAbsent(name, n -> kept(owner.zeros(weight.getShape())));
            m.muli(beta1).addi(gradient.mul(1 - beta1));
            v.muli(beta2).addi(gradient.square().muli(1 - beta2));
            if (weightDecay > 0 && LlamaParameters.decays(name)) {
                weight.muli(1 - learningRate * weightDecay);
            }
            NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi(epsilon));
            weight.subi(update.muli(learningRate));
        }
    }

    /** The moments outlive the step's NDScope that creates them. */
    private static NDArray kept(NDArray moment) {
        NDScope.unregister(moment);
        return moment;
    }

    public long steps() {
        return steps;
    }

    public Map<String, NDArray> firstMoments() {
        return firstMoments;
    }

    public Map<String, NDArray> secondMoments() {
        return secondMoments;
    }

    /** Restores the state a checkpoint saved, so a resumed run continues exactly where it stopped. */
    public void restore(long savedSteps, Map<String, NDArray> first, Map<String, NDArray> second) {
        this.steps = savedSteps;
        firstMoments.putAll(first);
        secondMoments.putAll(second);
    }
}
