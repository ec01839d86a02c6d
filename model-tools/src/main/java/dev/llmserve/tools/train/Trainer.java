package dev.llmserve.tools.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training loop: sample a batch, run the engine's forward pass, back-propagate the training
 * objective, clip, take an AdamW step; validate and checkpoint on schedule.
 */
public final class Trainer {

    /** The loss a step minimises, given the step's logits and batch (label-smoothed CE, or distillation). */
    @FunctionalInterface
    public interface Objective {
        NDArray loss(NDManager step, NDArray logits, Batch batch);
    }

    /** Writes the model folder (and resume state) for the step just finished. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(Path dir, int stepsDone) throws IOException;
    }

    private final TrainingSettings settings;
    private final CausalLm model;
    private final LlamaParameters parameters;
    private final AdamW optimizer;
    private final BatchSampler sampler;
    private final Validation validation;
    private final Objective objective;
    private final Checkpointer checkpointer;
    private final TrainingProgress progress;

    public Trainer(TrainingSettings settings, CausalLm model, LlamaParameters parameters, AdamW optimizer,
            BatchSampler sampler, Validation validation, Objective objective, Checkpointer checkpointer,
            TrainingProgress progress) {
        this.settings = settings;
        this.model = model;
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.sampler = sampler;
        this.validation = validation;
        this.objective = objective;
        this.checkpointer = checkpointer;
        this.progress = progress;
    }

    /** Runs steps [firstStep, settings.steps()) and returns the final validation result. */
    public Validation.Result train(NDManager manager, int firstStep) throws IOException {
        LearningRateSchedule schedule = settings.schedule();
        GradientClipping clipping = new GradientClipping(settings.gradientClip());
        for (int step = firstStep; step < settings.steps(); step++) {
            double learningRate = schedule.at(step);
            float loss;
            // NDScope frees every array the step makes, also those attached to the long-lived parameters'
            // manager (the folded weights, the optimizer's temporaries)
            try (NDScope arrays = new NDScope(); NDManager scope = manager.newSubManager()) {
                Batch batch = sampler.batch(scope, step);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray value = objective.loss(scope, model.logits(scope, parameters, batch.inputs()), batch);
                    collector.backward(value);
                    loss = value.getFloat();
                }
                Map<String, NDArray> gradients = gradients(scope);
                double norm = clipping.clip(gradients);
                if (Float.isFinite(loss) && Double.isFinite(norm)) {
                    optimizer.step(parameters, gradients, learningRate);
                } else {
                    // one overflowing batch must not turn every weight into NaN: drop its update
                    progress.message(String.format("step %d skipped: loss %s, gradient norm %s", step + 1, loss,
                            norm));
                }
                // fill, not multiply: 0·NaN would keep a skipped step's NaN for the next one
                gradients.values().forEach(g -> g.set(new NDIndex("..."), 0f));
            }
            progress.update(step, loss, learningRate, settings.tokensPerStep());
            int done = step + 1;
            if (settings.evalEvery() > 0 && done % settings.evalEvery() == 0 && done < settings.steps()) {
                report(manager, done);
            }
            if (settings.checkpointEvery() > 0 && done % settings.checkpointEvery() == 0 && done < settings.steps()) {
                checkpointer.save(settings.out(), done);
                progress.message("checkpoint at step " + done + " → " + settings.out());
            }
        }
        progress.finish();
        checkpointer.save(settings.out(), settings.steps());
        return report(manager, settings.steps());
    }

    private Validation.Result report(NDManager manager, int step) {
        Validation.Result result = validation.evaluate(manager, model, parameters);
        progress.message(String.format("step %d: validation loss %.4f, perplexity %.2f (%,d tokens)",
                step, result.loss(), result.perplexity(), result.tokens()));
        return result;
    }

    /** The gradients back-propagation left on the parameters, as handles owned by the step's scope. */
    private Map<String, NDArray> gradients(NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        parameters.byName().forEach((name, p) -> {
            NDArray g = p.getGradient();
            g.attach(scope);
            out.put(name, g);
        });
        return out;
    }
}
