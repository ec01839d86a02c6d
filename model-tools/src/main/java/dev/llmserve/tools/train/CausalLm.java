package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.model.CausalAttention;
import dev.llmserve.engine.model.LlamaLayers;
import dev.llmserve.engine.model.LlamaWeights;
import dev.llmserve.engine.model.TensorSource;

/**
 * The engine's Llama forward pass ({@link LlamaLayers}) over windows of a training batch, with causal
 * attention inside each window instead of the paged cache. Differentiable end to end.
 */
public final class CausalLm {

    private final ModelConfig config;
    private final LlamaLayers layers;

    public CausalLm(ModelConfig config, NDManager manager) {
        this.config = config;
        this.layers = new LlamaLayers(config, manager);
    }

    /** Logits [batch·length, vocab] for input windows [batch, length] (int64 token ids). */
    public NDArray logits(NDManager step, TensorSource parameters, NDArray inputs) {
        int batch = Math.toIntExact(inputs.getShape().get(0));
        int length = Math.toIntExact(inputs.getShape().get(1));
        LlamaWeights weights = LlamaWeights.fold(config, parameters);
        NDArray positions = step.arange(0, length, 1, DataType.INT64).tile(batch);
        CausalAttention attention = new CausalAttention(config, step, batch, length);
        NDArray hidden = layers.hiddenStates(step, inputs.reshape(-1), positions, weights, attention);
        return layers.logits(hidden, weights);
    }
}
