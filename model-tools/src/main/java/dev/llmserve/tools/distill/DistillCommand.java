package dev.llmserve.tools.distill;

import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.cli.CliArgs;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.tools.train.CausalLm;
import dev.llmserve.tools.train.LabelSmoothedCrossEntropy;
import dev.llmserve.tools.train.LlamaParameters;
import dev.llmserve.tools.train.ModelShape;
import dev.llmserve.tools.train.TrainingOptions;
import dev.llmserve.tools.train.TrainingRun;
import dev.llmserve.tools.train.TrainingSettings;
import dev.llmserve.tools.train.TrainingText;
import dev.llmserve.tools.train.Validation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
        CliArgs args = TrainingRun.arguments(argv, Set.of("teacher", "temperature", "soft-weight"));
        Path teacherDir = Path.of(args.required("teacher"));
        TrainingSettings settings = TrainingOptions.settings(args, TrainingOptions.shape(args, DEFAULT_SHAPE), 1000,
                2e-3);
        TrainingText text = TrainingRun.text(args, teacherDir);
        ModelConfig teacherConfig = ModelConfig.load(teacherDir);
        DistillationLoss distillation = new DistillationLoss(args.decimal("temperature", 2.0f),
                args.decimal("soft-weight", 0.5f), new LabelSmoothedCrossEntropy(settings.labelSmoothing()));
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters teacher = LlamaParameters.load(teacherConfig, teacherDir, manager).frozen();
            CausalLm teacherModel = new CausalLm(teacherConfig, manager);
            TrainingRun run = TrainingRun.start(args, settings, text, teacherConfig.vocabSize(), manager);
            out.printf("distilling %s (%,d parameters) into %,d parameters on %s, τ = %.2f, soft weight %.2f%n",
                    teacherDir, teacher.count(), run.parameters().count(), text.corpusName(),
                    distillation.temperature(), distillation.softWeight());
            Validation.Result result = run.train(manager, (scope, logits, batch) -> distillation.loss(logits,
                    teacherModel.logits(scope, teacher, batch.inputs()), batch.targets()));
            DraftAgreement.Result agreement = new DraftAgreement(text.validation(), settings.sequenceLength(),
                    settings.batchSize()).measure(manager, teacherModel, teacher, run.model(), run.parameters());
            out.printf("done: %s — validation loss %.4f, perplexity %.2f; on %,d held-out positions the draft"
                            + " agrees with the target's greedy choice %.1f%% of the time and its expected"
                            + " speculative acceptance (temperature 1) is %.1f%%%n",
                    settings.out(), result.loss(), result.perplexity(), agreement.positions(),
                    100 * agreement.greedyAgreement(), 100 * agreement.acceptanceRate());
        }
        return 0;
    }
}
