package dev.llmserve.engine.cli;

import dev.llmserve.engine.bench.BenchReportWriter;
import dev.llmserve.engine.bench.EngineBenchmark;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.engine.step.ForwardPath;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code llmserve bench engine}: decode tokens/s per batch size and prefill tokens/s of the engine alone. */
final class BenchEngineCommand {

    static final Set<String> OPTIONS = Set.of(
            "model", "batch-sizes", "prompt-len", "gen-len", "json", "device", "repeats", "block-size", "forward");

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
        List<ForwardPath> paths = Arrays.stream(args.string("forward", RunnerOptions.DEFAULT_FORWARD.label())
                .split(",")).map(ForwardPath::parse).toList();
        List<ModelRunner> runners = new ArrayList<>();
        try {
            List<EngineBenchmark> benches = new ArrayList<>();
            for (ForwardPath path : paths) {
                RunnerOptions options = new RunnerOptions(args.string("device", "auto"), Long.toString(kvBytes),
                        blockSize, path);
                ModelRunner runner = ModelRunner.load(model, options);
                runners.add(runner);
                benches.add(new EngineBenchmark(runner, promptLength, genLength, args.integer("repeats", 3)));
            }
            List<EngineBenchmark.Report> reports = EngineBenchmark.compare(benches, model.toString(),
                    runners.get(0).device(), batchSizes);
            for (EngineBenchmark.Report report : reports) {
                BenchReportWriter.printTable(report, out);
            }
            if (reports.size() > 1) {
                BenchReportWriter.printComparison(reports, out);
            }
            String json = reports.size() == 1 ? BenchReportWriter.json(reports.get(0))
                    : "[" + String.join(",\n", reports.stream().map(BenchReportWriter::json).toList()) + "]";
            String jsonFile = args.string("json", null);
            if (jsonFile != null) {
                Files.writeString(Path.of(jsonFile), json + "\n");
            } else {
                out.println(json);
            }
        } finally {
            for (ModelRunner runner : runners) {
                runner.close();
            }
        }
        return 0;
    }
}
