package dev.llmserve.engine.cli;

import dev.llmserve.engine.config.GenerationConfig;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code llmserve generate}: prints the prompt, then the generated text as it comes, on stdout
 * (logs go to stderr). Ctrl-C ends the loop at the next step and releases the model before exit.
 */
final class GenerateCommand {

    static final Set<String> OPTIONS = Set.of("model", "prompt", "max-tokens", "temperature", "top-k", "top-p",
            "min-p", "seed", "device", "kv-cache-memory");

    private GenerateCommand() {}

    static int run(List<String> argList, PrintStream out) {
        CliArgs args = new CliArgs(argList, OPTIONS);
        Path model = Path.of(args.required("model"));
        String prompt = args.required("prompt");
        int maxTokens = args.integer("max-tokens", 256);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("--max-tokens must be at least 1");
        }
        RunnerOptions options = RunnerOptions.DEFAULTS.withDevice(args.string("device", "auto"))
                .withKvCacheMemory(args.string("kv-cache-memory", null));

        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (TextTokenizer tokenizer = TextTokenizer.load(model);
                ModelRunner runner = ModelRunner.load(model, options)) {
            GenerationConfig generation = GenerationConfig.load(model);
            // unset flags fall back to the model's generation_config.json, then to OpenAI's defaults
            SamplingParams params = SamplingParams.of(
                    args.decimal("temperature", (float) generation.temperature().orElse(1.0)),
                    args.integer("top-k", generation.topK().orElse(0)),
                    args.decimal("top-p", (float) generation.topP().orElse(1.0)),
                    args.decimal("min-p", (float) generation.minP().orElse(0.0)));
            Long given = args.optionalLong("seed");
            long seed = given != null ? given : ThreadLocalRandom.current().nextLong();
            Set<Integer> eos = generation.endOfSequenceIds(tokenizer.eosTokenId());
            int[] ids = tokenizer.encode(prompt, true);
            out.print(prompt);
            out.flush();
            Generator generator = new Generator(runner, tokenizer, eos);
            generator.generate(ids, params, seed, StopCriteria.maxTokens(maxTokens), text -> {
                out.print(text);
                out.flush();
            }, interrupted::get);
            out.println();
            out.flush();
        } finally {
            finished.countDown();
        }
        return interrupted.get() ? LlmServeCli.INTERRUPTED : 0;
    }
}
