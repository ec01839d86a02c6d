package dev.llmserve.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.config.UnsupportedModelException;
import dev.llmserve.engine.weights.WeightStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Llama-family checkpoint prepared for inference on one device. Preparation is exact algebra done
 * once at load time so that each step runs fewer ops: RMSNorm(x)·W = (x/rms(x))·(diag(g)·W), and the
 * 1/√headDim attention scale commutes with RoPE, so it can live in the query weights.
 */
public record LlamaWeights(NDArray embedding, List<LayerWeights> layers, NDArray lmHead) {

    public static LlamaWeights load(ModelConfig config, WeightStore store, NDManager manager, Device device) {
        try (NDManager loading = manager.newSubManager(Device.cpu())) {
            TensorSource source = new TensorSource() {
                @Override
                public NDArray get(String name) {
                    return store.load(loading, name);
                }

                @Override
                public boolean contains(String name) {
                    return store.contains(name);
                }
            };
            return fold(config, source).copiedTo(manager, device);
        }
    }

    /**
     * The folded weights as views and products of the checkpoint tensors, with no copies: differentiable,
     * so training runs the very forward pass the engine serves with, and gradients reach the HF tensors.
     */
    public static LlamaWeights fold(ModelConfig config, TensorSource source) {
        NDArray embedding = checked(config, "model.embed_tokens.weight",
                source.get("model.embed_tokens.weight"), config.vocabSize(), config.hiddenSize());
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(layer(config, source, i));
        }
        if (!config.tieWordEmbeddings() && !source.contains("lm_head.weight")) {
            throw new UnsupportedModelException(
                    "config.json says tie_word_embeddings=false but the checkpoint lacks lm_head.weight");
        }
        NDArray headWeight = config.tieWordEmbeddings() ? embedding : source.get("lm_head.weight");
        checked(config, "lm_head.weight", headWeight, config.vocabSize(), config.hiddenSize());
        NDArray finalNorm = vector(source, "model.norm.weight", config.hiddenSize());
        NDArray lmHead = headWeight.mul(finalNorm.reshape(1, -1)).transpose();
        return new LlamaWeights(embedding, List.copyOf(layers), lmHead);
    }

    private static LayerWeights layer(ModelConfig config, TensorSource source, int i) {
        String p = "model.layers." + i + ".";
        int dim = config.hiddenSize();
        int hd = config.headDim();
        NDArray inputNorm = vector(source, p + "input_layernorm.weight", dim).reshape(1, -1);
        NDArray postNorm = vector(source, p + "post_attention_layernorm.weight", dim).reshape(1, -1);
        float scale = (float) (1.0 / Math.sqrt(hd));
        NDArray q = checked(config, p + "self_attn.q_proj.weight",
                source.get(p + "self_attn.q_proj.weight"), config.numHeads() * hd, dim).mul(scale);
        NDArray k = checked(config, p + "self_attn.k_proj.weight",
                source.get(p + "self_attn.k_proj.weight"), config.numKvHeads() * hd, dim);
        NDArray v = checked(config, p + "self_attn.v_proj.weight",
                source.get(p + "self_attn.v_proj.weight"), config.numKvHeads() * hd, dim);
        NDArray qkv = NDArrays.concat(new NDList(q, k, v), 0).mul(inputNorm);
        NDArray bias = null;
        if (config.attentionBias()) {
            bias = NDArrays.concat(new NDList(
                    vector(source, p + "self_attn.q_proj.bias", config.numHeads() * hd).mul(scale),
                    vector(source, p + "self_attn.k_proj.bias", config.numKvHeads() * hd),
                    vector(source, p + "self_attn.v_proj.bias", config.numKvHeads() * hd)), 0);
        }
        NDArray out = checked(config, p + "self_attn.o_proj.weight",
                source.get(p + "self_attn.o_proj.weight"), dim, config.numHeads() * hd);
        NDArray gate = checked(config, p + "mlp.gate_proj.weight",
                source.get(p + "mlp.gate_proj.weight"), config.intermediateSize(), dim);
        NDArray up = checked(config, p + "mlp.up_proj.weight",
                source.get(p + "mlp.up_proj.weight"), config.intermediateSize(), dim);
        NDArray down = checked(config, p + "mlp.down_proj.weight",
                source.get(p + "mlp.down_proj.weight"), dim, config.intermediateSize());
        NDArray gateUp = NDArrays.concat(new NDList(gate, up), 0).mul(postNorm);
        return new LayerWeights(qkv.transpose(), bias, out.transpose(), gateUp.transpose(), down.transpose());
    }

    /** Contiguous copies on the device, owned by {@code manager} (not by the file mapping or a training step). */
    private LlamaWeights copiedTo(NDManager manager, Device device) {
        List<LayerWeights> copied = layers.stream().map(w -> new LayerWeights(
                contiguousCopy(w.qkv(), manager, device),
                w.qkvBias() == null ? null : contiguousCopy(w.qkvBias(), manager, device),
                contiguousCopy(w.out(), manager, device),
                contiguousCopy(w.gateUp(), manager, device),
                contiguousCopy(w.down(), manager, device))).toList();
        return new LlamaWeights(contiguousCopy(embedding, manager, device), copied,
                contiguousCopy(lmHead, manager, device));
    }

    private static NDArray checked(ModelConfig config, String name, NDArray array, long rows, long cols) {
        long[] shape = array.getShape().getShape();
        if (shape.length != 2 || shape[0] != rows || shape[1] != cols) {
            throw new UnsupportedModelException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + " but config.json implies [" + rows + ", " + cols + "]");
        }
        return array;
    }

    /** A norm gain or bias: a mismatch would otherwise broadcast, or fail later inside a step. */
    private static NDArray vector(TensorSource source, String name, long length) {
        NDArray array = source.get(name);
        long[] shape = array.getShape().getShape();
        if (shape.length != 1 || shape[0] != length) {
            throw new UnsupportedModelException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + " but config.json implies [" + length + "]");
        }
        return array;
    }

    private static NDArray contiguousCopy(NDArray array, NDManager manager, Device device) {
        // HF stores [out, in] and steps multiply x·W, so fold() hands over transposed views; flattening one
        // forces a real, input-major copy that owns its memory
        NDArray flat = array.reshape(-1).duplicate();
        NDArray onDevice = flat.toDevice(device, true).reshape(array.getShape());
        onDevice.attach(manager);
        return onDevice;
    }
}
