package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * The one part of the Llama forward pass that differs between serving and training: how a layer's
 * queries meet keys and values. Serving reads them from the paged KV cache; training attends causally
 * within contiguous windows.
 */
public interface AttentionCore {

    /**
     * @param queries [T, heads, headDim], RoPE applied, already scaled by 1/√headDim
     * @param keys [T, kvHeads, headDim] of the step's tokens, RoPE applied
     * @param values [T, kvHeads, headDim] of the step's tokens
     * @return [T, heads·headDim], the attention output before the output projection
     */
    NDArray attend(int layer, NDArray queries, NDArray keys, NDArray values);
}
