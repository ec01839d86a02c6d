package dev.llmserve.engine.cli;

import dev.llmserve.engine.bench.BenchReportWriter;
import dev.llmserve.engine.bench.EngineBenchmark;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code llmserve bench engine}: decode tokens/s per batch size and prefill tokens/s of the engine alone. */
final class BenchEngineCommand {

    static final Set<String> OPTIONS = Set.of(
            "model", "batch-sizes", "prompt-len", "gen-len", "json", "device", "repeats", "block-size");

    private BenchEngineCommand() {}

    static int run(List<String> argList, PrintStream out) throws IOException {
        CliArgs args = new CliArgs(argList, OPTIONS);
        Path model = Path.of(args.required("model"));
        int[] batchSizes = Arrays.stream(args.string("batch-sizes", "1,8,32,64").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int promptLength = args.integer("prompt-len", 64);
        int genLength = args.integer("gen-len", 128);
        int blockSize = args.integer("block-size", KvCacheSpec.DEFAULT_BLOCK_SIZE);
        int maxBatch = Arrays.stream(batchSizes).max().orElse(1);
        int blocks = maxBatch * EngineBenchmark.blocksPerSequence(promptLength, genLength, blockSize);
        long kvBytes = blocks * (long) blockSize * KvCacheSpec.bytesPerToken(ModelConfig.load(model));
        RunnerOptions options = new RunnerOptions(args.string("device", "auto"), Long.toString(kvBytes), blockSize);
        try (ModelRunner runner = ModelRunner.load(model, options)) {
            EngineBenchmark bench = new EngineBenchmark(runner, promptLength, genLength, args.integer("repeats", 3));
            EngineBenchmark.Report report = bench.run(model.toString(), runner.device(), batchSizes);
            BenchReportWriter.printTable(report, out);
            String json = BenchReportWriter.json(report);
            String jsonFile = args.string("json", null);
            if (jsonFile != null) {
                Files.writeString(Path.of(jsonFile), json + "\n");
            } else {
                out.println(json);
            }
        }
        return 0;
    }
}
