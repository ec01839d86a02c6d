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
            NDArray embedding = checked(config, "model.embed_tokens.weight",
                    store.load(loading, "model.embed_tokens.weight"), config.vocabSize(), config.hiddenSize());
            List<LayerWeights> layers = new ArrayList<>();
            for (int i = 0; i < config.numLayers(); i++) {
                layers.add(layer(config, store, loading, manager, device, i));
            }
            NDArray headWeight = !config.tieWordEmbeddings() && store.contains("lm_head.weight")
                    ? store.load(loading, "lm_head.weight") : embedding;
            if (!config.tieWordEmbeddings() && !store.contains("lm_head.weight")) {
                throw new UnsupportedModelException(
                        "config.json says tie_word_embeddings=false but the checkpoint lacks lm_head.weight");
            }
            checked(config, "lm_head.weight", headWeight, config.vocabSize(), config.hiddenSize());
            NDArray finalNorm = vector(store, loading, "model.norm.weight", config.hiddenSize());
            NDArray lmHead = inputMajor(headWeight.mul(finalNorm.reshape(1, -1)), manager, device);
            NDArray embeddingOnDevice = contiguousCopy(embedding, manager, device);
            return new LlamaWeights(embeddingOnDevice, List.copyOf(layers), lmHead);
        }
    }

    private static LayerWeights layer(ModelConfig config, WeightStore store, NDManager loading, NDManager manager,
            Device device, int i) {
        String p = "model.layers." + i + ".";
        int dim = config.hiddenSize();
        int hd = config.headDim();
        NDArray inputNorm = vector(store, loading, p + "input_layernorm.weight", dim).reshape(1, -1);
        NDArray postNorm = vector(store, loading, p + "post_attention_layernorm.weight", dim).reshape(1, -1);
        float scale = (float) (1.0 / Math.sqrt(hd));
        NDArray q = checked(config, p + "self_attn.q_proj.weight",
                store.load(loading, p + "self_attn.q_proj.weight"), config.numHeads() * hd, dim).mul(scale);
        NDArray k = checked(config, p + "self_attn.k_proj.weight",
                store.load(loading, p + "self_attn.k_proj.weight"), config.numKvHeads() * hd, dim);
        NDArray v = checked(config, p + "self_attn.v_proj.weight",
                store.load(loading, p + "self_attn.v_proj.weight"), config.numKvHeads() * hd, dim);
        NDArray qkv = NDArrays.concat(new NDList(q, k, v), 0).mul(inputNorm);
        NDArray bias = null;
        if (config.attentionBias()) {
            bias = NDArrays.concat(new NDList(
                    vector(store, loading, p + "self_attn.q_proj.bias", config.numHeads() * hd).mul(scale),
                    vector(store, loading, p + "self_attn.k_proj.bias", config.numKvHeads() * hd),
                    vector(store, loading, p + "self_attn.v_proj.bias", config.numKvHeads() * hd)), 0);
            bias = contiguousCopy(bias, manager, device);
        }
        NDArray out = checked(config, p + "self_attn.o_proj.weight",
                store.load(loading, p + "self_attn.o_proj.weight"), dim, config.numHeads() * hd);
        NDArray gate = checked(config, p + "mlp.gate_proj.weight",
                store.load(loading, p + "mlp.gate_proj.weight"), config.intermediateSize(), dim);
        NDArray up = checked(config, p + "mlp.up_proj.weight",
                store.load(loading, p + "mlp.up_proj.weight"), config.intermediateSize(), dim);
        NDArray down = checked(config, p + "mlp.down_proj.weight",
                store.load(loading, p + "mlp.down_proj.weight"), dim, config.intermediateSize());
        NDArray gateUp = NDArrays.concat(new NDList(gate, up), 0).mul(postNorm);
        return new LayerWeights(inputMajor(qkv, manager, device), bias, inputMajor(out, manager, device),
                inputMajor(gateUp, manager, device), inputMajor(down, manager, device));
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
    private static NDArray vector(WeightStore store, NDManager loading, String name, long length) {
        NDArray array = store.load(loading, name);
        long[] shape = array.getShape().getShape();
        if (shape.length != 1 || shape[0] != length) {
            throw new UnsupportedModelException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + " but config.json implies [" + length + "]");
        }
        return array;
    }

    /** HF stores [out, in]; steps multiply x·W, so keep a contiguous [in, out] copy on the device. */
    private static NDArray inputMajor(NDArray outMajor, NDManager manager, Device device) {
        return contiguousCopy(outMajor.transpose(), manager, device);
    }

    private static NDArray contiguousCopy(NDArray array, NDManager manager, Device device) {
        // flattening a transposed view forces a real copy; the result owns its memory (not the file mapping)
        NDArray flat = array.reshape(-1).duplicate();
        NDArray onDevice = flat.toDevice(device, true).reshape(array.getShape());
        onDevice.attach(manager);
        return onDevice;
    }
}
