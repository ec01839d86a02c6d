package dev.llmserve.engine.cli;

import dev.llmserve.engine.bench.BenchReportWriter;
import dev.llmserve.engine.bench.EngineBenchmark;
import dev.llmserve.engine.bench.SpeculativeBenchmark;
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

/**
 * {@code llmserve bench engine}: decode tokens/s per batch size and prefill tokens/s of the engine
 * alone; with {@code --draft DIR|ngram}, speculative against plain greedy decoding in the same run.
 */
final class BenchEngineCommand {

    static final Set<String> OPTIONS = Set.of("model", "batch-sizes", "prompt-len", "gen-len", "json", "device",
            "repeats", "block-size", "forward", "draft", "gamma", "ngram-min", "ngram-max");
    /** Prompt lookup's default n-gram sizes (as vLLM's prompt_lookup_min/max are commonly set). */
    static final int NGRAM_MIN = 1;
    static final int NGRAM_MAX = 3;

    private BenchEngineCommand() {}

    static int run(List<String> argList, PrintStream out) throws IOException {
        CliArgs args = new CliArgs(argList, OPTIONS);
        if (args.string("draft", null) != null) {
            return runSpeculative(args, out);
        }
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

    private static int runSpeculative(CliArgs args, PrintStream out) throws IOException {
        Path model = Path.of(args.required("model"));
        String draft = args.string("draft", null);
        int[] batchSizes = Arrays.stream(args.string("batch-sizes", "1,8,32,64").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int promptLength = args.integer("prompt-len", 64);
        int genLength = args.integer("gen-len", 128);
        int blockSize = args.integer("block-size", KvCacheSpec.DEFAULT_BLOCK_SIZE);
        int gamma = args.integer("gamma", 4);
        int repeats = args.integer("repeats", 3);
        ForwardPath path = ForwardPath.parse(args.string("forward", RunnerOptions.DEFAULT_FORWARD.label()));
        int blocks = Arrays.stream(batchSizes).max().orElse(1)
                * EngineBenchmark.blocksPerSequence(promptLength, genLength, blockSize);
        String device = args.string("device", "auto");
        try (ModelRunner target = ModelRunner.load(model, options(model, device, blocks, blockSize, path))) {
            SpeculativeBenchmark.Report report;
            if (draft.equals("ngram")) {
                int min = args.integer("ngram-min", NGRAM_MIN);
                int max = args.integer("ngram-max", NGRAM_MAX);
                report = SpeculativeBenchmark.withPromptLookup(target, gamma, min, max, promptLength, genLength,
                        repeats).run(model.toString(), "ngram " + min + ".." + max, gamma, batchSizes);
            } else {
                Path draftDir = Path.of(draft);
                try (ModelRunner drafter = ModelRunner.load(draftDir,
                        options(draftDir, device, blocks, blockSize, path))) {
                    report = SpeculativeBenchmark.withDraftModel(target, drafter, gamma, promptLength, genLength,
                            repeats).run(model.toString(), draftDir.toString(), gamma, batchSizes);
                }
            }
            BenchReportWriter.printSpeculative(report, out);
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

    /** Room for exactly {@code blocks} blocks of the model at {@code modelDir}. */
    private static RunnerOptions options(Path modelDir, String device, int blocks, int blockSize, ForwardPath path) {
        long bytes = blocks * (long) blockSize * KvCacheSpec.bytesPerToken(ModelConfig.load(modelDir));
        return new RunnerOptions(device, Long.toString(bytes), blockSize, path);
    }
}
