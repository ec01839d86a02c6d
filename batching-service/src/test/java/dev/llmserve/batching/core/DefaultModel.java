package dev.llmserve.batching.core;

import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.tokenizer.TokenizerFingerprint;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.SamplingSpec;
import dev.llmserve.protocol.kafka.StopSpec;
import dev.llmserve.protocol.kafka.TokenEvent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The committed brown-6m (models/ at the repository root; tests run in batching-service/) for tests: its
 * tokenizer, runners, requests and the offline reference text.
 */
public final class DefaultModel implements AutoCloseable {

    public static final String NAME = "brown-6m";
    public static final Path DIR = Path.of("..", "models", NAME).toAbsolutePath().normalize();
    public static final String REPLY_TOPIC = "llmserve.tokens.test-gateway";
    public static final List<String> PROMPTS = List.of(
            "Once upon a time", "Lily wanted to", "The little dog", "One day, Tom went to the park",
            "There was a big tree", "Sam and his mom", "The sun was", "A bird sat on",
            "Tim had a red ball", "Mia liked to draw", "The cat was very", "It was a rainy day",
            "Ben saw a big truck", "The girl smiled and", "In the garden, there", "Max was hungry");

    private final Path dir;
    private final ModelTokenizer tokenizer;

    public DefaultModel(Path dir) {
        this.dir = dir;
        this.tokenizer = ModelTokenizer.load(dir);
    }

    public static DefaultModel load() {
        return new DefaultModel(DIR);
    }

    public Path dir() {
        return dir;
    }

    public ModelTokenizer tokenizer() {
        return tokenizer;
    }

    /** A CPU runner; {@code kvCacheMemory} null for the default budget. */
    public ModelRunner runner(String kvCacheMemory) {
        return runner(dir, kvCacheMemory);
    }

    /** A CPU runner whose KV cache holds exactly {@code blocks} blocks of the default size. */
    public ModelRunner runnerWithBlocks(int blocks) {
        long bytes = blocks * KvCacheSpec.DEFAULT_BLOCK_SIZE * KvCacheSpec.bytesPerToken(ModelConfig.load(dir));
        return runner(Long.toString(bytes));
    }

    /** A CPU runner over another model folder (a draft). */
    public static ModelRunner runner(Path modelDir, String kvCacheMemory) {
        return ModelRunner.load(modelDir, RunnerOptions.DEFAULTS.withDevice("cpu").withKvCacheMemory(kvCacheMemory));
    }

    public int[] encode(String text) {
        return tokenizer.tokenizer().encode(text, true);
    }

    /** What {@code llmserve generate} gives at temperature 0 (the runner must not be stepping meanwhile). */
    public Generator.Result reference(ModelRunner runner, int[] prompt, int maxTokens, boolean ignoreEos) {
        return new Generator(runner, tokenizer.tokenizer(), tokenizer.eosTokenIds()).generate(prompt,
                SamplingParams.GREEDY, 0L, new StopCriteria(maxTokens, null, null, ignoreEos), text -> { }, () -> false);
    }

    public static GenerationRequest greedy(String requestId, int[] prompt, int maxTokens, boolean ignoreEos) {
        return request(requestId, prompt, 0f, new StopSpec(maxTokens, List.of(), List.of(), ignoreEos), null);
    }

    /** @param speculative null: the deployment's default; false: opted out */
    public static GenerationRequest request(String requestId, int[] prompt, float temperature, StopSpec stop,
            Boolean speculative) {
        return new GenerationRequest(GenerationRequest.VERSION, requestId, REPLY_TOPIC, NAME,
                Arrays.stream(prompt).boxed().toList(),
                new SamplingSpec(temperature, 0, 1f, 0f, 1f, 0f, 0f, Map.of(), -1), stop, 42L, Priority.INTERACTIVE,
                System.currentTimeMillis(), speculative);
    }

    /** The same request at {@link Priority#BATCH}, as the gateway's Batch API publishes job lines. */
    public static GenerationRequest asBatch(GenerationRequest r) {
        return new GenerationRequest(r.v(), r.requestId(), r.replyTopic(), r.model(), r.promptTokens(), r.sampling(),
                r.stop(), r.seed(), Priority.BATCH, r.createdAtMillis(), r.speculative());
    }

    /** The SHA-256 of the model's tokenizer.json, as its shard reports it. */
    public String tokenizerHash() {
        return TokenizerFingerprint.of(dir);
    }

    public static String text(List<TokenEvent> events) {
        StringBuilder text = new StringBuilder();
        events.forEach(e -> text.append(e.text()));
        return text.toString();
    }

    public static int[] tokenIds(List<TokenEvent> events) {
        return events.stream().flatMap(e -> e.tokenIds().stream()).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
