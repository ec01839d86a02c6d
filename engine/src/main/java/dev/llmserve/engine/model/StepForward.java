package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.PagedKvCache;

/**
 * One step's forward pass over a paged KV cache: writes the step's K/V into {@code cache} in place
 * and returns logits [logitRows, vocab] owned by {@code step}. Implementations: {@link LlamaModel}
 * (op by op through DJL, differentiable) and {@link TorchScriptForward} (the whole step as one
 * TorchScript call).
 */
public interface StepForward extends AutoCloseable {

    ModelConfig config();

    NDArray forward(NDManager step, StepLayout layout, PagedKvCache cache);

    /** Releases native resources the implementation holds beyond its manager's; weights are not its to close. */
    @Override
    default void close() {}
}
