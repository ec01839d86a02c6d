package dev.llmserve.batching.core;

/**
 * What a model shard serves: the model, its context length, the geometry of its KV cache and the
 * SHA-256 of its tokenizer.json (a draft must share its target's tokenizer).
 */
public record ShardInfo(String modelName, int vocabSize, int contextLength, int numBlocks, int blockSize,
        String device, String tokenizerHash) {

    /** The same shard with only {@code blocks} of its KV blocks in use. */
    public ShardInfo withNumBlocks(int blocks) {
        return new ShardInfo(modelName, vocabSize, contextLength, blocks, blockSize, device, tokenizerHash);
    }
}
