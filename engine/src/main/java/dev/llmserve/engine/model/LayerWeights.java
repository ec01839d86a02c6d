package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * One decoder layer's weights as the forward pass uses them: projections fused (q|k|v and
 * gate|up), stored input-major so a step multiplies {@code x · W}, with each RMSNorm's gain folded
 * into the projection that follows it and the attention scale folded into the query rows.
 *
 * @param qkvBias null unless the family has attention biases (Qwen2)
 */
public record LayerWeights(NDArray qkv, NDArray qkvBias, NDArray out, NDArray gateUp, NDArray down) {}
