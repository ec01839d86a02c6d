package dev.llmserve.engine.testing;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.llmserve.engine.weights.HalfFloats;
import dev.llmserve.engine.weights.SafetensorsWriter;
import dev.llmserve.engine.weights.SafetensorsWriter.Tensor;
import dev.llmserve.engine.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Writes small random-init Hugging Face Llama-family folders ({@code config.json} plus safetensors),
 * so correctness tests need no downloaded model.
 */
public final class TinyModels {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private TinyModels() {}

    /** How the LM head is stored. */
    public enum Head {
        UNTIED,
        /** tie_word_embeddings=true and no lm_head.weight, as most small checkpoints ship. */
        TIED_OMITTED,
        /** tie_word_embeddings=true and an lm_head.weight equal to the embedding. */
        TIED_WRITTEN
    }

    /** Llama 3.1's rope_scaling parameters. */
    public record Llama3Rope(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {}

    /**
     * What to write; setters chain. Defaults: a 2-layer GQA (4 heads, 2 KV heads) Llama in F32 with
     * an untied head. Dimensions are tiny but odd enough that a swapped axis cannot go unnoticed.
     */
    public static final class Spec {
        public final String name;
        public String modelType = "llama";
        public TensorDType dtype = TensorDType.F32;
        public int hidden = 32;
        public int intermediate = 48;
        public int layers = 2;
        public int heads = 4;
        public int kvHeads = 2;
        public int headDim = 8;
        public int vocab = 56;
        public int maxPositions = 128;
        public double rmsNormEps = 1e-5;
        public double ropeTheta = 10000;
        public Llama3Rope llama3Rope;
        public Head head = Head.UNTIED;
        public boolean sharded;
        public long seed = 1;

        public Spec(String name) {
            this.name = name;
        }

        public Spec dtype(TensorDType value) {
            dtype = value;
            return this;
        }

        public Spec heads(int queryHeads, int keyValueHeads) {
            heads = queryHeads;
            kvHeads = keyValueHeads;
            return this;
        }

        /** A hidden size other than heads·headDim, so q_proj and o_proj are not square. */
        public Spec hidden(int value) {
            hidden = value;
            return this;
        }

        public Spec head(Head value) {
            head = value;
            return this;
        }

        /** Qwen2: q/k/v biases, and no head_dim key (Qwen2 derives it from hidden_size). */
        public Spec qwen2() {
            modelType = "qwen2";
            hidden = heads * headDim;
            return this;
        }

        /**
         * With headDim 8 and theta 1e4 the wavelengths are about 6, 63, 628 and 6283 positions; an
         * original context of 64 with factors 1 and 4 keeps the first, smooths the second and
         * divides the last two, so all three branches of the scaling are used.
         */
        public Spec llama3Rope() {
            llama3Rope = new Llama3Rope(8, 1, 4, 64);
            return this;
        }

        public Spec sharded() {
            sharded = true;
            return this;
        }

        public Spec seed(long value) {
            seed = value;
            return this;
        }

        public boolean attentionBias() {
            return modelType.equals("qwen2");
        }

        public boolean tied() {
            return head != Head.UNTIED;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A written folder and every tensor in it, with values rounded to the stored dtype: what the loader sees. */
    public record TinyModel(Path dir, Spec spec, Map<String, Tensor> tensors) {
        public float[] values(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor " + name);
            }
            return t.values();
        }
    }

    /** The configurations every Tiny test runs on. */
    public static List<Spec> variants() {
        return List.of(
                new Spec("f32 gqa untied"),
                new Spec("f16 mha tied (lm_head omitted)").dtype(TensorDType.F16).heads(4, 4)
                        .head(Head.TIED_OMITTED).seed(2),
                new Spec("bf16 gqa tied (lm_head written)").dtype(TensorDType.BF16).head(Head.TIED_WRITTEN).seed(3),
                new Spec("qwen2 biases f16 untied").qwen2().dtype(TensorDType.F16).seed(4),
                new Spec("llama3 rope_scaling, hidden 24, one kv head").llama3Rope().hidden(24).heads(4, 1)
                        .head(Head.TIED_OMITTED).seed(5),
                new Spec("sharded bf16 mha untied").sharded().dtype(TensorDType.BF16).heads(4, 4).seed(6));
    }

    /** Every variant with KV block sizes 4 and 16, as (Spec, blockSize) arguments. */
    public static Stream<Arguments> variantsAndBlockSizes() {
        return variants().stream().flatMap(s -> Stream.of(4, 16).map(bs -> Arguments.of(s, bs)));
    }

    public static TinyModel write(Path dir, Spec spec) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(spec.seed);
        List<Tensor> tensors = new ArrayList<>();
        int qDim = spec.heads * spec.headDim;
        int kvDim = spec.kvHeads * spec.headDim;
        Tensor embedding = normal(spec, random, "model.embed_tokens.weight", spec.vocab, spec.hidden);
        tensors.add(embedding);
        for (int l = 0; l < spec.layers; l++) {
            String p = "model.layers." + l + ".";
            tensors.add(gain(spec, random, p + "input_layernorm.weight"));
            tensors.add(normal(spec, random, p + "self_attn.q_proj.weight", qDim, spec.hidden));
            tensors.add(normal(spec, random, p + "self_attn.k_proj.weight", kvDim, spec.hidden));
            tensors.add(normal(spec, random, p + "self_attn.v_proj.weight", kvDim, spec.hidden));
            if (spec.attentionBias()) {
                tensors.add(normal(spec, random, p + "self_attn.q_proj.bias", qDim));
                tensors.add(normal(spec, random, p + "self_attn.k_proj.bias", kvDim));
                tensors.add(normal(spec, random, p + "self_attn.v_proj.bias", kvDim));
            }
            tensors.add(normal(spec, random, p + "self_attn.o_proj.weight", spec.hidden, qDim));
            tensors.add(gain(spec, random, p + "post_attention_layernorm.weight"));
            tensors.add(normal(spec, random, p + "mlp.gate_proj.weight", spec.intermediate, spec.hidden));
            tensors.add(normal(spec, random, p + "mlp.up_proj.weight", spec.intermediate, spec.hidden));
            tensors.add(normal(spec, random, p + "mlp.down_proj.weight", spec.hidden, spec.intermediate));
        }
        tensors.add(gain(spec, random, "model.norm.weight"));
        switch (spec.head) {
            case UNTIED -> tensors.add(normal(spec, random, "lm_head.weight", spec.vocab, spec.hidden));
            case TIED_WRITTEN -> tensors.add(new Tensor("lm_head.weight", spec.dtype, embedding.shape(),
                    embedding.values().clone()));
            case TIED_OMITTED -> { }
        }
        Files.writeString(dir.resolve("config.json"), GSON.toJson(config(spec)));
        writeWeights(dir, tensors, spec.sharded);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        tensors.forEach(t -> byName.put(t.name(), t));
        return new TinyModel(dir, spec, byName);
    }

    private static JsonObject config(Spec spec) {
        JsonObject c = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add(spec.attentionBias() ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        c.add("architectures", architectures);
        c.addProperty("model_type", spec.modelType);
        c.addProperty("hidden_act", "silu");
        c.addProperty("hidden_size", spec.hidden);
        c.addProperty("intermediate_size", spec.intermediate);
        c.addProperty("num_hidden_layers", spec.layers);
        c.addProperty("num_attention_heads", spec.heads);
        c.addProperty("num_key_value_heads", spec.kvHeads);
        if (!spec.attentionBias()) {
            c.addProperty("head_dim", spec.headDim);
        } else {
            // as real Qwen2 configs do; a window shorter than our sequences must be ignored when unused
            c.addProperty("use_sliding_window", false);
            c.addProperty("sliding_window", 32);
        }
        c.addProperty("vocab_size", spec.vocab);
        c.addProperty("max_position_embeddings", spec.maxPositions);
        c.addProperty("rms_norm_eps", spec.rmsNormEps);
        c.addProperty("rope_theta", spec.ropeTheta);
        if (spec.llama3Rope != null) {
            JsonObject r = new JsonObject();
            r.addProperty("rope_type", "llama3");
            r.addProperty("factor", spec.llama3Rope.factor());
            r.addProperty("low_freq_factor", spec.llama3Rope.lowFreqFactor());
            r.addProperty("high_freq_factor", spec.llama3Rope.highFreqFactor());
            r.addProperty("original_max_position_embeddings", spec.llama3Rope.originalMaxPositions());
            c.add("rope_scaling", r);
        }
        c.addProperty("tie_word_embeddings", spec.tied());
        c.addProperty("torch_dtype", switch (spec.dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        });
        c.addProperty("bos_token_id", 1);
        c.addProperty("eos_token_id", 2);
        return c;
    }

    /** One model.safetensors, or two shards and the index that maps each tensor to its shard. */
    private static void writeWeights(Path dir, List<Tensor> tensors, boolean sharded) throws IOException {
        if (!sharded) {
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
            return;
        }
        String[] files = {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"};
        int split = tensors.size() / 2;
        List<List<Tensor>> shards = List.of(tensors.subList(0, split), tensors.subList(split, tensors.size()));
        JsonObject weightMap = new JsonObject();
        long totalSize = 0;
        for (int i = 0; i < 2; i++) {
            SafetensorsWriter.write(dir.resolve(files[i]), shards.get(i));
            for (Tensor t : shards.get(i)) {
                weightMap.addProperty(t.name(), files[i]);
                totalSize += (long) t.values().length * t.dtype().bytes();
            }
        }
        JsonObject metadata = new JsonObject();
        metadata.addProperty("total_size", totalSize);
        JsonObject index = new JsonObject();
        index.add("metadata", metadata);
        index.add("weight_map", weightMap);
        Files.writeString(dir.resolve("model.safetensors.index.json"), GSON.toJson(index));
    }

    /** Std 0.3: large enough that attention is peaked and logits are far from flat. */
    private static Tensor normal(Spec spec, Random random, String name, long... shape) {
        return random(spec, random, name, 0, 0.3, shape);
    }

    /** RMSNorm gains near 1 but never exactly 1, so a dropped gain shows. */
    private static Tensor gain(Spec spec, Random random, String name) {
        return random(spec, random, name, 1, 0.2, spec.hidden);
    }

    private static Tensor random(Spec spec, Random random, String name, double mean, double std, long... shape) {
        int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = rounded(spec.dtype, (float) (mean + std * random.nextGaussian()));
        }
        return new Tensor(name, spec.dtype, shape, values);
    }

    /** The value the file will hold: writing rounds to nearest even, so round the same way here. */
    private static float rounded(TensorDType dtype, float value) {
        return switch (dtype) {
            case F32 -> value;
            case F16 -> f16ToFloat(HalfFloats.floatToF16(value));
            case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(value));
        };
    }

    /** IEEE 754 binary16 to float (exact): the loader reads F16 through libtorch, so only this check needs it. */
    private static float f16ToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exp == 0) {
            return Float.intBitsToFloat(sign) + (sign != 0 ? -1 : 1) * mantissa * 0x1p-24f;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mantissa << 13));
    }
}
