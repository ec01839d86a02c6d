package dev.llmserve.engine.generate;

import dev.llmserve.engine.output.OutputDelta;
import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.output.StreamingOutput;
import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.tokenizer.TokenDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Generates one sequence on a runner, the offline path behind {@code llmserve generate}. A single
 * sequence owns the whole cache here, so its block table is simply blocks 0, 1, 2, …; in the
 * serving system the batching-service's block manager hands out blocks instead.
 */
public final class Generator {

    /** What a generation produced. */
    public record Result(int[] outputTokens, String text, String finishReason) {}

    private final ModelRunner runner;
    private final TokenDecoder decoder;
    private final Set<Integer> eosTokenIds;

    public Generator(ModelRunner runner, TokenDecoder decoder, Set<Integer> eosTokenIds) {
        this.runner = runner;
        this.decoder = decoder;
        this.eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /** @param seed the draws' seed: the same seed and parameters give the same tokens */
    public Result generate(int[] prompt, SamplingParams params, long seed, StopCriteria stop, Consumer<String> onText,
            BooleanSupplier cancelled) {
        int context = runner.config().maxPositions();
        if (prompt.length == 0 || prompt.length >= context) {
            throw new IllegalArgumentException("the prompt has " + prompt.length
                    + " tokens; this model takes between 1 and " + (context - 1));
        }
        int maxTokens = Math.min(stop.maxTokens(), context - prompt.length);
        int blockSize = runner.cacheSpec().blockSize();
        int blocks = (prompt.length + maxTokens + blockSize - 1) / blockSize;
        if (blocks > runner.cacheSpec().numBlocks()) {
            throw new IllegalArgumentException("prompt + max tokens need " + blocks + " KV blocks, the cache has "
                    + runner.cacheSpec().numBlocks());
        }
        int[] blockTable = IntStream.range(0, blocks).toArray();
        StreamingOutput output = new StreamingOutput(decoder, prompt,
                new StopCriteria(maxTokens, stop.stopTokenIds(), stop.stopStrings(), stop.ignoreEos()),
                eosTokenIds, true);
        int[] generated = new int[maxTokens];
        int count = 0;
        int[] next = prompt;
        int position = 0;
        while (!cancelled.getAsBoolean()) {
            TokenHistory history = params.usesPenalties()
                    ? new TokenHistory(prompt, Arrays.copyOf(generated, count)) : TokenHistory.EMPTY;
            SamplingRow row = new SamplingRow(params, history, seed, count);
            SampledToken token = runner.step(List.of(
                    new SequenceStep(0, next, position, blockTable, OutputMode.SAMPLE, row))).get(0).sampled();
            position += next.length;
            generated[count++] = token.tokenId();
            OutputDelta delta = output.accept(token.tokenId());
            if (!delta.textDelta().isEmpty()) {
                onText.accept(delta.textDelta());
            }
            if (delta.isFinished()) {
                return new Result(Arrays.copyOf(generated, count), output.text(), delta.finished().openAiName());
            }
            next = new int[] {token.tokenId()};
        }
        return new Result(Arrays.copyOf(generated, count), output.text(), "cancelled");
    }
}
