package dev.llmserve.batching.core;

/** What a model shard serves: the model, its context length and the geometry of its KV cache. */
public record ShardInfo(String modelName, int vocabSize, int contextLength, int numBlocks, int blockSize,
        String device) {}
