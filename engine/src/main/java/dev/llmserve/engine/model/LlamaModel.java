package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.PagedKvCache;

/**
 * The Llama forward pass over a paged KV cache, op by op, for all sequences of a step at once: every
 * projection is one matmul over all T new tokens; attention is {@link PagedAttention}. Differentiable,
 * so it also defines what training optimizes (with {@link CausalAttention} in place of the cache).
 */
public final class LlamaModel implements StepForward {

    private final LlamaLayers layers;
    private final LlamaWeights weights;

    public LlamaModel(ModelConfig config, LlamaWeights weights, NDManager manager) {
        this.layers = new LlamaLayers(config, manager);
        this.weights = weights;
    }

    @Override
    public ModelConfig config() {
        return layers.config();
    }

    /** Runs the step, writes its K/V into the cache and returns logits [logitRows, vocab]. */
    @Override
    public NDArray forward(NDManager step, StepLayout layout, PagedKvCache cache) {
        PagedAttention attention = new PagedAttention(layers.config(), step, layout, cache);
        NDArray x = layers.hiddenStates(step, step.create(layout.tokenIds), step.create(layout.positions),
                weights, attention);
        if (layout.logitRows.length == 0) {
            return step.zeros(new Shape(0, layers.config().vocabSize()));
        }
        NDArray rows = layout.logitRows.length == layout.totalTokens
                ? x : x.get(new NDIndex("{}", step.create(layout.logitRows)));
        return layers.logits(rows, weights);
    }
}
