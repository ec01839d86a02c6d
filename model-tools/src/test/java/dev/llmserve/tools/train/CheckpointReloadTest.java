package dev.llmserve.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.step.ForwardPath;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import dev.llmserve.engine.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** A trained checkpoint is a model folder the engine serves as is, computing the logits training saw. */
class CheckpointReloadTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ForwardPath.class)
    void theEngineReloadsASavedCheckpointWithIdenticalLogits(ForwardPath path) throws IOException {
        ModelConfig config = TinyTraining.SHAPE.modelConfig(TinyTraining.VOCAB, 0, 0);
        int[] tokens = {0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 9, 4, 5};
        float[] trained;
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, 5);
            AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0.1);
            TrainingSettings settings = TinyTraining.settings(dir, 5);
            TrainerTest.trainer(settings, parameters, optimizer, new CausalLm(config, manager),
                    new Validation(TinyTraining.countingText(100, 3), 16, 4),
                    TrainerTest.save(settings, parameters, optimizer)).train(manager, 0);
            long[] ids = Arrays.stream(tokens).asLongStream().toArray();
            trained = new CausalLm(config, manager)
                    .logits(manager, parameters, manager.create(ids, new Shape(1, tokens.length))).toFloatArray();
        }
        try (ModelRunner runner = ModelRunner.load(dir, new RunnerOptions("cpu", "4m", 16, path))) {
            float[][] served = runner.step(List.of(new SequenceStep(1, tokens, 0, new int[] {3},
                    OutputMode.ALL_LOGITS, null))).get(0).logits();
            // Training's op-by-op graph and the served forward are both float32 and may order any sum on the
            // path differently: the path's terms over the whole sequence, relative to the logit scale.
            double scale = FloatErrorModel.scale(trained);
            double bound = FloatErrorModel.reassociated(FloatErrorModel.llamaPathTerms(config, tokens.length));
            int vocab = TinyTraining.VOCAB;
            assertEquals(tokens.length, served.length);
            BoundCheck check = BoundCheck.named("trained vs served logits / logit scale, " + path);
            for (int p = 0; p < tokens.length; p++) {
                int position = p;
                check.add(FloatErrorModel.maxDiff(Arrays.copyOfRange(trained, p * vocab, (p + 1) * vocab), served[p])
                        / scale, bound, () -> "position " + position + " (logit scale " + scale + ")");
            }
            check.report();
        }
    }

    @org.junit.jupiter.api.Test
    void float16CheckpointsAreHalfTheSizeAndStillLoad() throws IOException {
        ModelConfig config = TinyTraining.SHAPE.modelConfig(TinyTraining.VOCAB, 0, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, 5);
            ModelFolder.write(dir.resolve("f32"), TinyTraining.SHAPE, TinyTraining.SPECIAL, dir, parameters,
                    TensorDType.F32);
            ModelFolder.write(dir.resolve("f16"), TinyTraining.SHAPE, TinyTraining.SPECIAL, dir, parameters,
                    TensorDType.F16);
        }
        long f32 = java.nio.file.Files.size(dir.resolve("f32/model.safetensors"));
        long f16 = java.nio.file.Files.size(dir.resolve("f16/model.safetensors"));
        assertTrue(f16 < 0.55 * f32, f16 + " vs " + f32);
        try (ModelRunner runner = ModelRunner.load(dir.resolve("f16"), new RunnerOptions("cpu", "4m", 16))) {
            assertEquals(TinyTraining.VOCAB, runner.config().vocabSize());
        }
    }
}
