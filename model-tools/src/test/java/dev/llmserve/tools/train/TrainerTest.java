package dev.llmserve.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void aFewStepsOnATinyConfigLowerTheTrainingAndValidationLoss() throws IOException {
        TrainingSettings settings = TinyTraining.settings(dir.resolve("model"), 40);
        ModelConfig config = TinyTraining.SHAPE.modelConfig(TinyTraining.VOCAB, 0, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, settings.seed());
            CausalLm model = new CausalLm(config, manager);
            Validation validation = new Validation(TinyTraining.countingText(600, 99), 16, 8);
            double before = validation.evaluate(manager, model, parameters).loss();
            AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0.1);
            Validation.Result after = trainer(settings, parameters, optimizer, model, validation,
                    save(settings, parameters, optimizer)).train(manager, 0);
            assertTrue(after.loss() < 0.6 * before, "validation loss " + before + " → " + after.loss());
            // the counting runs are predictable after their first token: far below uniform (ln 17 = 2.83)
            assertTrue(after.perplexity() < 6, "perplexity " + after.perplexity());
        }
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        ModelConfig config = TinyTraining.SHAPE.modelConfig(TinyTraining.VOCAB, 0, 0);
        Map<String, float[]> straight = run(TinyTraining.settings(dir.resolve("straight"), 6), config, false);

        TrainingSettings settings = withCheckpointEvery(TinyTraining.settings(dir.resolve("resumed"), 6), 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            // a run killed after its step-3 checkpoint: later saves never reach the disk
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, settings.seed());
            AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0.1);
            Trainer.Checkpointer untilStepThree = (out, done) -> {
                if (done == 3) {
                    save(settings, parameters, optimizer).save(out, done);
                }
            };
            trainer(settings, parameters, optimizer, new CausalLm(config, manager),
                    new Validation(TinyTraining.countingText(200, 99), 16, 8), untilStepThree).train(manager, 0);
        }
        Map<String, float[]> resumed = run(settings, config, true);
        // The resumed run repeats the uninterrupted run's last steps op for op: the same values (the checkpoint
        // holds the float32 weights and AdamW's moments bit for bit), the same shapes, batches and thread count,
        // so every rounding repeats and the weights agree exactly (FloatErrorModel: sums handed to the same kernel
        // in the same shape round identically). A resume that lost the moments or the step would be off by the
        // order of the learning rate.
        assertEquals(straight.keySet(), resumed.keySet());
        BoundCheck check = BoundCheck.named("resumed vs uninterrupted weights (exact)");
        for (String name : straight.keySet()) {
            check.add(FloatErrorModel.maxDiff(straight.get(name), resumed.get(name)), 0, () -> name);
        }
        check.report();
    }

    private Map<String, float[]> run(TrainingSettings settings, ModelConfig config, boolean resume)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, settings.seed());
            AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0.1);
            int first = resume ? TrainerState.restore(settings.out(), parameters, optimizer, manager) : 0;
            trainer(settings, parameters, optimizer, new CausalLm(config, manager),
                    new Validation(TinyTraining.countingText(200, 99), 16, 8), save(settings, parameters, optimizer))
                    .train(manager, first);
            return parameters.byName().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toFloatArray()));
        }
    }

    private static TrainingSettings withCheckpointEvery(TrainingSettings s, int every) {
        return new TrainingSettings(s.shape(), s.sequenceLength(), s.batchSize(), s.steps(), s.learningRate(),
                s.minLearningRate(), s.warmupSteps(), s.weightDecay(), s.beta1(), s.beta2(), s.gradientClip(),
                s.labelSmoothing(), s.seed(), 0, every, s.saveDtype(), s.out());
    }

    static Trainer.Checkpointer save(TrainingSettings settings, LlamaParameters parameters, AdamW optimizer) {
        return (out, done) -> {
            ModelFolder.write(out, settings.shape(), TinyTraining.SPECIAL, out, parameters, settings.saveDtype());
            TrainerState.save(out, done, parameters, optimizer);
        };
    }

    static Trainer trainer(TrainingSettings settings, LlamaParameters parameters, AdamW optimizer, CausalLm model,
            Validation validation, Trainer.Checkpointer checkpointer) {
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(settings.labelSmoothing());
        return new Trainer(settings, model, parameters, optimizer,
                new BatchSampler(TinyTraining.countingText(2000, 1), settings.batchSize(),
                        settings.sequenceLength(), settings.seed()),
                validation,
                (scope, logits, batch) -> loss.loss(logits, batch.targets()),
                checkpointer,
                new TrainingProgress(QUIET, 0, settings.steps(), false, 10));
    }
}
