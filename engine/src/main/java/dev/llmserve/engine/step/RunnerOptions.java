package dev.llmserve.engine.step;

import dev.llmserve.engine.kvcache.KvCacheSpec;

/**
 * How to place a model: {@code device} is cpu, gpu or auto; {@code kvCacheMemory} is a size
 * ("512m", "2g") or a fraction of free device memory ("0.2"), null for the default;
 * {@code blockSize} is the KV block size in tokens; {@code forward} picks the forward pass.
 */
public record RunnerOptions(String device, String kvCacheMemory, int blockSize, ForwardPath forward) {

    /** TorchScript: the same computation in one call per step (docs/engine.md › Performance for what it buys). */
    public static final ForwardPath DEFAULT_FORWARD = ForwardPath.TORCHSCRIPT;
    public static final RunnerOptions DEFAULTS = new RunnerOptions("auto", null, KvCacheSpec.DEFAULT_BLOCK_SIZE);

    public RunnerOptions {
        if (forward == null) {
            forward = DEFAULT_FORWARD;
        }
    }

    public RunnerOptions(String device, String kvCacheMemory, int blockSize) {
        this(device, kvCacheMemory, blockSize, DEFAULT_FORWARD);
    }

    public RunnerOptions withKvCacheMemory(String memory) {
        return new RunnerOptions(device, memory, blockSize, forward);
    }

    public RunnerOptions withDevice(String newDevice) {
        return new RunnerOptions(newDevice, kvCacheMemory, blockSize, forward);
    }
}
