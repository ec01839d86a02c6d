package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.llmserve.engine.config.ModelConfig;

/**
 * The Llama forward pass op by op through DJL, for training and for the op-by-op serving path
 * ({@code --forward ops}; serving runs {@link TorchScriptForward} by default, the same computation in
 * one TorchScript call): embedding, then per layer
 * RMSNorm → q/k/v → RoPE → attention → output projection and RMSNorm → SwiGLU MLP, each with its
 * residual, then the final norm and the LM head. Only the attention core is supplied by the caller.
 */
public final class LlamaLayers {

    private final ModelConfig config;
    private final RotaryEmbedding rope;
    private final NDArray epsilon;

    public LlamaLayers(ModelConfig config, NDManager manager) {
        this.config = config;
        this.rope = new RotaryEmbedding(config, manager);
        this.epsilon = manager.create((float) config.rmsNormEps());
    }

    public ModelConfig config() {
        return config;
    }

    /** Hidden states [T, hidden] after the last layer, before the final norm. */
    public NDArray hiddenStates(NDManager step, NDArray tokens, NDArray positions, LlamaWeights weights,
            AttentionCore attention) {
        NDArray[] ropeTables = rope.tables(step, positions);
        NDArray x = weights.embedding().get(step, new NDIndex("{}", tokens));
        for (int l = 0; l < config.numLayers(); l++) {
            LayerWeights w = weights.layers().get(l);
            x = x.add(attention(l, rmsNorm(x), w, ropeTables, attention));
            x = x.add(mlp(rmsNorm(x), w));
        }
        return x;
    }

    /** Logits [rows, vocab] of hidden states [rows, hidden]. */
    public NDArray logits(NDArray hidden, LlamaWeights weights) {
        return rmsNorm(hidden).matMul(weights.lmHead());
    }

    /** RMSNorm without its gain: the gain is folded into the next projection (see LlamaWeights). */
    private NDArray rmsNorm(NDArray x) {
        return x.div(x.square().mean(new int[] {-1}, true).add(epsilon).sqrt());
    }

    private NDArray attention(int layer, NDArray x, LayerWeights w, NDArray[] ropeTables, AttentionCore core) {
        long t = x.getShape().get(0);
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int hd = config.headDim();
        NDArray qkv = x.matMul(w.qkv());
        if (w.qkvBias() != null) {
            qkv = qkv.add(w.qkvBias());
        }
        NDList qkAndV = qkv.split(new long[] {(long) (heads + kvHeads) * hd}, 1);
        NDArray qk = rope.apply(qkAndV.get(0).reshape(t, heads + kvHeads, hd), ropeTables);
        NDList qAndK = qk.split(new long[] {heads}, 1);
        NDArray out = core.attend(layer, qAndK.get(0), qAndK.get(1), qkAndV.get(1).reshape(t, kvHeads, hd));
        return out.matMul(w.out());
    }

    private static NDArray mlp(NDArray x, LayerWeights w) {
        NDList gateUp = x.matMul(w.gateUp()).split(2, 1);
        NDArray gate = gateUp.get(0);
        return gate.mul(Activation.sigmoid(gate)).mul(gateUp.get(1)).matMul(w.down());
    }
}
