package dev.llmserve.engine.step;

import dev.llmserve.engine.kvcache.KvCacheSpec;

/**
 * How to place a model: {@code device} is cpu, gpu or auto; {@code kvCacheMemory} is a size
 * ("512m", "2g") or a fraction of free device memory ("0.2"), null for the default;
 * {@code blockSize} is the KV block size in tokens.
 */
public record RunnerOptions(String device, String kvCacheMemory, int blockSize) {

    public static final RunnerOptions DEFAULTS = new RunnerOptions("auto", null, KvCacheSpec.DEFAULT_BLOCK_SIZE);

    public RunnerOptions withKvCacheMemory(String memory) {
        return new RunnerOptions(device, memory, blockSize);
    }

    public RunnerOptions withDevice(String newDevice) {
        return new RunnerOptions(newDevice, kvCacheMemory, blockSize);
    }
}
