package dev.llmserve.tools.distill;

import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.cli.CliArgs;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.tools.train.AdamW;
import dev.llmserve.tools.train.BatchSampler;
import dev.llmserve.tools.train.CausalLm;
import dev.llmserve.tools.train.LabelSmoothedCrossEntropy;
import dev.llmserve.tools.train.LlamaParameters;
import dev.llmserve.tools.train.ModelFolder;
import dev.llmserve.tools.train.ModelShape;
import dev.llmserve.tools.train.TrainingProgress;
import dev.llmserve.tools.train.Trainer;
import dev.llmserve.tools.train.TrainerState;
import dev.llmserve.tools.train.TrainingOptions;
import dev.llmserve.tools.train.TrainingSettings;
import dev.llmserve.tools.train.TrainingText;
import dev.llmserve.tools.train.Validation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./llmserve distill}: trains a small draft on a target's soft labels, with the target's
 * tokenizer, and reports how often the draft agrees with the target on held-out text.
 */
public final class DistillCommand {

    /** The default draft: a tenth of the default target's parameters, most of them in the embedding. */
    static final ModelShape DEFAULT_SHAPE = new ModelShape(128, 384, 2, 4, 2, 512, 10000, 1e-5);

    private DistillCommand() {}

    public static int run(List<String> argv, PrintStream out) throws IOException {
        Set<String> known = new HashSet<>(TrainingOptions.MODEL_FLAGS);
        known.addAll(TrainingOptions.RUN_FLAGS);
        known.addAll(Set.of("teacher", "corpus", "corpus-cache", "resume", "temperature", "soft-weight"));
        CliArgs args = new CliArgs(TrainingOptions.withConfigFile(argv), known);
        Path teacherDir = Path.of(args.required("teacher"));
        ModelShape shape = TrainingOptions.shape(args, DEFAULT_SHAPE);
        TrainingSettings settings = TrainingOptions.settings(args, shape, 1000, 2e-3);
        TrainingText text = TrainingText.load(teacherDir, args.string("corpus", "europarl-en"),
                Path.of(args.string("corpus-cache", ".llmserve/corpus")));
        ModelConfig teacherConfig = ModelConfig.load(teacherDir);
        ModelConfig config = shape.modelConfig(teacherConfig.vocabSize(), text.special().endOfText(),
                text.special().endOfText());
        DistillationLoss distillation = new DistillationLoss(args.decimal("temperature", 2.0f),
                args.decimal("soft-weight", 0.5f), new LabelSmoothedCrossEntropy(settings.labelSmoothing()));
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters teacher = LlamaParameters.load(teacherConfig, teacherDir, manager).frozen();
            CausalLm teacherModel = new CausalLm(teacherConfig, manager);
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, settings.seed());
            AdamW optimizer = new AdamW(settings.beta1(), settings.beta2(), 1e-8, settings.weightDecay());
            int firstStep = 0;
            if (Boolean.parseBoolean(args.string("resume", "false")) && TrainerState.exists(settings.out())) {
                firstStep = TrainerState.restore(settings.out(), parameters, optimizer, manager);
            }
            out.printf("distilling %s (%,d parameters) into %,d parameters on %s, τ = %.2f, soft weight %.2f%n",
                    teacherDir, teacher.count(), parameters.count(), text.corpusName(), distillation.temperature(),
                    distillation.softWeight());
            CausalLm model = new CausalLm(config, manager);
            Trainer trainer = new Trainer(settings, model, parameters, optimizer,
                    new BatchSampler(text.train(), settings.batchSize(), settings.sequenceLength(), settings.seed()),
                    new Validation(text.validation(), settings.sequenceLength(), settings.batchSize()),
                    (scope, logits, batch) -> distillation.loss(logits,
                            teacherModel.logits(scope, teacher, batch.inputs()), batch.targets()),
                    (dir, done) -> {
                        ModelFolder.write(dir, shape, text.special(), teacherDir, parameters, settings.saveDtype());
                        TrainerState.save(dir, done, parameters, optimizer);
                    },
                    new TrainingProgress(System.err, firstStep, settings.steps(), System.console() != null, 10));
            Validation.Result result = trainer.train(manager, firstStep);
            DraftAgreement.Result agreement = new DraftAgreement(text.validation(), settings.sequenceLength(),
                    settings.batchSize()).measure(manager, teacherModel, teacher, model, parameters);
            out.printf("done: %s — validation loss %.4f, perplexity %.2f; on %,d held-out positions the draft"
                            + " agrees with the target's greedy choice %.1f%% of the time and its expected"
                            + " speculative acceptance (temperature 1) is %.1f%%%n",
                    settings.out(), result.loss(), result.perplexity(), agreement.positions(),
                    100 * agreement.greedyAgreement(), 100 * agreement.acceptanceRate());
        }
        return 0;
    }
}
