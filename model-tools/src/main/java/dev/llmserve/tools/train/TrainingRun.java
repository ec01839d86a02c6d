package dev.llmserve.tools.train;

import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.cli.CliArgs;
import dev.llmserve.engine.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every training command shares once its flags are read: a model initialised from the seed
 * (or resumed from the last checkpoint with {@code --resume true}), its AdamW state, checkpoints
 * that write a servable Hugging Face folder plus resume state, and the progress line. The commands
 * differ only in their objective and what they report.
 */
public final class TrainingRun {

    private final TrainingSettings settings;
    private final TrainingText text;
    private final CausalLm model;
    private final LlamaParameters parameters;
    private final AdamW optimizer;
    private final int firstStep;

    private TrainingRun(TrainingSettings settings, TrainingText text, CausalLm model,
            LlamaParameters parameters, AdamW optimizer, int firstStep) {
        this.settings = settings;
        this.text = text;
        this.model = model;
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.firstStep = firstStep;
    }

    /** The command line (with its {@code --config} file) accepting the shared flags plus the command's own. */
    public static CliArgs arguments(List<String> argv, Set<String> commandFlags) throws IOException {
        Set<String> known = new HashSet<>(TrainingOptions.MODEL_FLAGS);
        known.addAll(TrainingOptions.RUN_FLAGS);
        known.addAll(Set.of("corpus", "corpus-cache", "resume"));
        known.addAll(commandFlags);
        return new CliArgs(TrainingOptions.withConfigFile(argv), known);
    }

    /** The corpus named by {@code --corpus}, tokenized with the tokenizer in {@code tokenizerDir}. */
    public static TrainingText text(CliArgs args, Path tokenizerDir) throws IOException {
        return TrainingText.load(tokenizerDir, args.string("corpus", "europarl-en"),
                Path.of(args.string("corpus-cache", ".llmserve/corpus")));
    }

    /** A fresh model of {@code settings.shape()} over the text's vocabulary, resumed when asked and possible. */
    public static TrainingRun start(CliArgs args, TrainingSettings settings, TrainingText text, int vocabSize,
            NDManager manager) throws IOException {
        ModelConfig config = settings.shape().modelConfig(vocabSize, text.special().endOfText(),
                text.special().endOfText());
        LlamaParameters parameters = LlamaParameters.initialize(config, manager, settings.seed());
        AdamW optimizer = new AdamW(settings.beta1(), settings.beta2(), 1e-8, settings.weightDecay());
        int firstStep = 0;
        if (Boolean.parseBoolean(args.string("resume", "false")) && TrainerState.exists(settings.out())) {
            firstStep = TrainerState.restore(settings.out(), parameters, optimizer, manager);
        }
        return new TrainingRun(settings, text, new CausalLm(config, manager), parameters, optimizer,
                firstStep);
    }

    /** Trains to {@code settings.steps()} minimising {@code objective}, and returns the final validation result. */
    public Validation.Result train(NDManager manager, Trainer.Objective objective) throws IOException {
        Trainer trainer = new Trainer(settings, model, parameters, optimizer,
                new BatchSampler(text.train(), settings.batchSize(), settings.sequenceLength(), settings.seed()),
                new Validation(text.validation(), settings.sequenceLength(), settings.batchSize()),
                objective,
                (dir, done) -> {
                    ModelFolder.write(dir, settings.shape(), text.special(), text.tokenizerDir(), parameters,
                            settings.saveDtype());
                    TrainerState.save(dir, done, parameters, optimizer);
                },
                new TrainingProgress(System.err, firstStep, settings.steps(), System.console() != null, 10));
        return trainer.train(manager, firstStep);
    }

    public CausalLm model() {
        return model;
    }

    public LlamaParameters parameters() {
        return parameters;
    }

    public int firstStep() {
        return firstStep;
    }
}
