package dev.llmserve.tools.train;

import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.cli.CliArgs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code ./llmserve train}: trains a Llama from scratch on a corpus and writes a Hugging Face folder. */
public final class TrainCommand {

    /** The default target: about 5.8M parameters with a 4,096-token vocabulary. */
    static final ModelShape DEFAULT_SHAPE = new ModelShape(256, 768, 6, 8, 4, 512, 10000, 1e-5);

    private TrainCommand() {}

    public static int run(List<String> argv, PrintStream out) throws IOException {
        CliArgs args = TrainingRun.arguments(argv, Set.of("tokenizer"));
        TrainingSettings settings = TrainingOptions.settings(args, TrainingOptions.shape(args, DEFAULT_SHAPE), 2000,
                1e-3);
        TrainingText text = TrainingRun.text(args, Path.of(args.required("tokenizer")));
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingRun run = TrainingRun.start(args, settings, text, text.special().vocabSize(), manager);
            out.printf("training %,d parameters on %s: %,d training / %,d validation tokens, %,d tokens per step,"
                            + " steps %d→%d%n", run.parameters().count(), text.corpusName(), text.train().size(),
                    text.validation().size(), settings.tokensPerStep(), run.firstStep(), settings.steps());
            LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(settings.labelSmoothing());
            Validation.Result result = run.train(manager, (scope, logits, batch) -> loss.loss(logits,
                    batch.targets()));
            out.printf("done: %s — validation loss %.4f, perplexity %.2f%n", settings.out(), result.loss(),
                    result.perplexity());
        }
        return 0;
    }
}
