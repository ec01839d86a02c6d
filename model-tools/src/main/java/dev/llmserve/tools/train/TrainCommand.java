package dev.llmserve.tools.train;

import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.cli.CliArgs;
import dev.llmserve.engine.config.ModelConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code ./llmserve train}: trains a Llama from scratch on a corpus and writes a Hugging Face folder. */
public final class TrainCommand {

    /** The default target: about 5.8M parameters with a 4,096-token vocabulary. */
    static final ModelShape DEFAULT_SHAPE = new ModelShape(256, 768, 6, 8, 4, 512, 10000, 1e-5);

    private TrainCommand() {}

    public static int run(List<String> argv, PrintStream out) throws IOException {
        Set<String> known = new HashSet<>(TrainingOptions.MODEL_FLAGS);
        known.addAll(TrainingOptions.RUN_FLAGS);
        known.addAll(Set.of("tokenizer", "corpus", "corpus-cache", "resume"));
        CliArgs args = new CliArgs(TrainingOptions.withConfigFile(argv), known);
        ModelShape shape = TrainingOptions.shape(args, DEFAULT_SHAPE);
        TrainingSettings settings = TrainingOptions.settings(args, shape, 2000, 1e-3);
        TrainingText text = TrainingText.load(Path.of(args.required("tokenizer")),
                args.string("corpus", "europarl-en"), Path.of(args.string("corpus-cache", ".llmserve/corpus")));
        ModelConfig config = shape.modelConfig(text.special().vocabSize(), text.special().endOfText(),
                text.special().endOfText());
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaParameters parameters = LlamaParameters.initialize(config, manager, settings.seed());
            AdamW optimizer = new AdamW(settings.beta1(), settings.beta2(), 1e-8, settings.weightDecay());
            int firstStep = 0;
            if (Boolean.parseBoolean(args.string("resume", "false")) && TrainerState.exists(settings.out())) {
                firstStep = TrainerState.restore(settings.out(), parameters, optimizer, manager);
            }
            out.printf("training %,d parameters on %s: %,d training / %,d validation tokens, %,d tokens per step,"
                            + " steps %d→%d%n", parameters.count(), text.corpusName(), text.train().size(),
                    text.validation().size(), settings.tokensPerStep(), firstStep, settings.steps());
            LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(settings.labelSmoothing());
            Trainer trainer = new Trainer(settings, new CausalLm(config, manager), parameters, optimizer,
                    new BatchSampler(text.train(), settings.batchSize(), settings.sequenceLength(), settings.seed()),
                    new Validation(text.validation(), settings.sequenceLength(), settings.batchSize()),
                    (scope, logits, batch) -> loss.loss(logits, batch.targets()),
                    (dir, done) -> {
                        ModelFolder.write(dir, shape, text.special(), text.tokenizerDir(), parameters,
                                settings.saveDtype());
                        TrainerState.save(dir, done, parameters, optimizer);
                    },
                    new TrainingProgress(System.err, firstStep, settings.steps(), System.console() != null, 10));
            Validation.Result result = trainer.train(manager, firstStep);
            out.printf("done: %s — validation loss %.4f, perplexity %.2f%n", settings.out(), result.loss(),
                    result.perplexity());
        }
        return 0;
    }
}
