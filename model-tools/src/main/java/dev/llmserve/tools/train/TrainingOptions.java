package dev.llmserve.tools.train;

import dev.llmserve.engine.cli.CliArgs;
import dev.llmserve.engine.weights.TensorDType;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Reads training settings from {@code --name value} flags, optionally on top of a small properties
 * file ({@code --config FILE}, same names without the dashes); flags win over the file.
 */
public final class TrainingOptions {

    public static final Set<String> MODEL_FLAGS = Set.of("hidden", "intermediate", "layers", "heads", "kv-heads",
            "max-positions", "rope-theta");
    public static final Set<String> RUN_FLAGS = Set.of("seq-len", "batch-size", "steps", "lr", "min-lr", "warmup",
            "weight-decay", "beta1", "beta2", "clip", "label-smoothing", "seed", "eval-every", "checkpoint-every",
            "save-dtype", "out");

    private TrainingOptions() {}

    /** The command line with the config file's entries (if any) placed before it, so flags override them. */
    public static List<String> withConfigFile(List<String> args) throws IOException {
        int at = args.indexOf("--config");
        if (at < 0) {
            return args;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException("--config needs a file");
        }
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args.get(at + 1)))) {
            file.load(reader);
        }
        List<String> merged = new ArrayList<>();
        file.stringPropertyNames().stream().sorted().forEach(name -> {
            merged.add("--" + name);
            merged.add(file.getProperty(name).trim());
        });
        merged.addAll(args.subList(0, at));
        merged.addAll(args.subList(at + 2, args.size()));
        return merged;
    }

    public static ModelShape shape(CliArgs args, ModelShape defaults) {
        return new ModelShape(
                args.integer("hidden", defaults.hidden()),
                args.integer("intermediate", defaults.intermediate()),
                args.integer("layers", defaults.layers()),
                args.integer("heads", defaults.heads()),
                args.integer("kv-heads", defaults.kvHeads()),
                args.integer("max-positions", defaults.maxPositions()),
                args.decimal("rope-theta", (float) defaults.ropeTheta()),
                defaults.rmsNormEps());
    }

    public static TrainingSettings settings(CliArgs args, ModelShape shape, int defaultSteps, double defaultLr) {
        int steps = args.integer("steps", defaultSteps);
        double lr = args.decimal("lr", (float) defaultLr);
        return new TrainingSettings(
                shape,
                args.integer("seq-len", 256),
                args.integer("batch-size", 16),
                steps,
                lr,
                args.decimal("min-lr", (float) (lr / 10)),
                args.integer("warmup", Math.max(1, steps / 20)),
                args.decimal("weight-decay", 0.1f),
                args.decimal("beta1", 0.9f),
                args.decimal("beta2", 0.95f),
                args.decimal("clip", 1.0f),
                args.decimal("label-smoothing", 0.1f),
                args.optionalLong("seed") == null ? 1 : args.optionalLong("seed"),
                args.integer("eval-every", Math.max(1, steps / 10)),
                args.integer("checkpoint-every", Math.max(1, steps / 4)),
                TensorDType.valueOf(args.string("save-dtype", "f16").toUpperCase()),
                Path.of(args.required("out")));
    }
}
