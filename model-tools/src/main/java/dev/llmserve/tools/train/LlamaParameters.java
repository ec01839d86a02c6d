package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.model.TensorSource;
import dev.llmserve.engine.weights.SafetensorsWriter;
import dev.llmserve.engine.weights.TensorDType;
import dev.llmserve.engine.weights.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trainable tensors of a Llama with tied embeddings, by their Hugging Face names, as float32
 * arrays that record gradients. They are what a checkpoint stores and what {@code LlamaWeights.fold}
 * turns into the serving layout on every training step.
 */
public final class LlamaParameters implements TensorSource {

    private final Map<String, NDArray> tensors;

    private LlamaParameters(Map<String, NDArray> tensors) {
        this.tensors = tensors;
        tensors.values().forEach(t -> t.setRequiresGradient(true));
    }

    /**
     * GPT-2's initialisation: N(0, 0.02) everywhere, the projections that write into the residual stream
     * scaled down by √(2·layers) so the stream's variance does not grow with depth; norm gains at one.
     */
    public static LlamaParameters initialize(ModelConfig config, NDManager manager, long seed) {
        Random random = new Random(seed);
        double residualStd = 0.02 / Math.sqrt(2.0 * config.numLayers());
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        shapes(config).forEach((name, shape) -> {
            NDArray tensor;
            if (name.endsWith("norm.weight")) {
                tensor = manager.ones(shape);
            } else {
                boolean residual = name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight");
                tensor = normal(manager, random, residual ? residualStd : 0.02, shape);
            }
            tensors.put(name, tensor);
        });
        return new LlamaParameters(tensors);
    }

    /** Reads a checkpoint's tensors (any dtype the engine reads) as float32 parameters owned by {@code manager}. */
    public static LlamaParameters load(ModelConfig config, Path modelDir, NDManager manager) {
        WeightStore store = WeightStore.open(modelDir);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        shapes(config).forEach((name, shape) -> {
            NDArray loaded = store.load(manager, name).toType(DataType.FLOAT32, true);
            if (!loaded.getShape().equals(shape)) {
                throw new IllegalArgumentException(name + " has shape " + loaded.getShape() + " in " + modelDir
                        + " but the config implies " + shape);
            }
            tensors.put(name, loaded);
        });
        return new LlamaParameters(tensors);
    }

    /** Names and shapes in checkpoint order: embeddings, then each layer, then the final norm. */
    private static Map<String, Shape> shapes(ModelConfig config) {
        int dim = config.hiddenSize();
        int hd = config.headDim();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new Shape(config.vocabSize(), dim));
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new Shape(dim));
            shapes.put(p + "self_attn.q_proj.weight", new Shape((long) config.numHeads() * hd, dim));
            shapes.put(p + "self_attn.k_proj.weight", new Shape((long) config.numKvHeads() * hd, dim));
            shapes.put(p + "self_attn.v_proj.weight", new Shape((long) config.numKvHeads() * hd, dim));
            shapes.put(p + "self_attn.o_proj.weight", new Shape(dim, (long) config.numHeads() * hd));
            shapes.put(p + "post_attention_layernorm.weight", new Shape(dim));
            shapes.put(p + "mlp.gate_proj.weight", new Shape(config.intermediateSize(), dim));
            shapes.put(p + "mlp.up_proj.weight", new Shape(config.intermediateSize(), dim));
            shapes.put(p + "mlp.down_proj.weight", new Shape(dim, config.intermediateSize()));
        }
        shapes.put("model.norm.weight", new Shape(dim));
        return shapes;
    }

    /** Stops recording gradients for these tensors: a distillation teacher is read, never trained. */
    public LlamaParameters frozen() {
        tensors.values().forEach(t -> t.setRequiresGradient(false));
        return this;
    }

    @Override
    public NDArray get(String name) {
        NDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return tensor;
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Map<String, NDArray> byName() {
        return tensors;
    }

    public long count() {
        return tensors.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Norm gains are not decayed: pulling them to zero would fight the normalisation they scale. */
    public static boolean decays(String name) {
        return !name.endsWith("norm.weight");
    }

    public void save(Path file, TensorDType dtype) throws IOException {
        List<SafetensorsWriter.Tensor> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            out.add(new SafetensorsWriter.Tensor(e.getKey(), dtype, e.getValue().getShape().getShape(),
                    e.getValue().toFloatArray()));
        }
        SafetensorsWriter.write(file, out);
    }

    private static NDArray normal(NDManager manager, Random random, double std, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return manager.create(values, shape);
    }
}
