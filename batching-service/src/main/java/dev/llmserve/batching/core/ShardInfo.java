package dev.llmserve.batching.core;

import dev.llmserve.engine.step.ModelRunner;

/**
 * What a model shard serves: the model, its context length, the geometry of its KV cache and the
 * SHA-256 of its tokenizer.json (a draft must share its target's tokenizer).
 */
public record ShardInfo(String modelName, int vocabSize, int contextLength, int numBlocks, int blockSize,
        String device, String tokenizerHash) {

    /** What an engine runner in this process serves. */
    static ShardInfo of(ModelRunner runner, String modelName, String tokenizerHash) {
        return new ShardInfo(modelName, runner.config().vocabSize(), runner.config().maxPositions(),
                runner.cacheSpec().numBlocks(), runner.cacheSpec().blockSize(), runner.device(), tokenizerHash);
    }

    /** The same shard with only {@code blocks} of its KV blocks in use. */
    public ShardInfo withNumBlocks(int blocks) {
        return new ShardInfo(modelName, vocabSize, contextLength, blocks, blockSize, device, tokenizerHash);
    }
}
