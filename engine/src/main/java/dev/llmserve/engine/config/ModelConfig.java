package dev.llmserve.engine.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The architecture of a Llama-family checkpoint, read from a Hugging Face {@code config.json}.
 * Llama 2/3, Mistral, Qwen2 (q/k/v biases), SmolLM and TinyLlama all share this shape: GQA,
 * RoPE, RMSNorm and a SwiGLU MLP.
 */
public record ModelConfig(
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        int maxPositions,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean attentionBias,
        boolean tieWordEmbeddings) {

    private static final Set<String> SUPPORTED_TYPES = Set.of("llama", "mistral", "qwen2");

    public ModelConfig {
        if (numHeads % numKvHeads != 0) {
            throw new UnsupportedModelException(
                    "num_attention_heads " + numHeads + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new UnsupportedModelException("head_dim must be even for RoPE, got " + headDim);
        }
    }

    public int queriesPerKvHead() {
        return numHeads / numKvHeads;
    }

    public static ModelConfig load(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new UnsupportedModelException(modelDir + " is not a model folder: config.json is missing");
        }
        try {
            return parse(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
        } catch (IOException | IllegalStateException e) {
            throw new UnsupportedModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static ModelConfig parse(JsonObject json) {
        String type = string(json, "model_type", "");
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new UnsupportedModelException("model_type '" + type + "' is not supported (supported: "
                    + String.join(", ", SUPPORTED_TYPES.stream().sorted().toList()) + ")");
        }
        String act = string(json, "hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new UnsupportedModelException("hidden_act '" + act + "' is not supported (only silu)");
        }
        int hidden = required(json, "hidden_size");
        int heads = required(json, "num_attention_heads");
        int kvHeads = json.has("num_key_value_heads") && !json.get("num_key_value_heads").isJsonNull()
                ? json.get("num_key_value_heads").getAsInt() : heads;
        int headDim = json.has("head_dim") && !json.get("head_dim").isJsonNull()
                ? json.get("head_dim").getAsInt() : hidden / heads;
        int maxPositions = required(json, "max_position_embeddings");
        // Mistral-style sliding windows only matter past the window; serve up to it so outputs stay exact.
        if (json.has("sliding_window") && !json.get("sliding_window").isJsonNull()
                && bool(json, "use_sliding_window", !type.equals("qwen2"))) {
            maxPositions = Math.min(maxPositions, json.get("sliding_window").getAsInt());
        }
        boolean bias = type.equals("qwen2") || bool(json, "attention_bias", false);
        if (bool(json, "mlp_bias", false)) {
            throw new UnsupportedModelException("mlp_bias=true is not supported");
        }
        return new ModelConfig(
                hidden,
                required(json, "intermediate_size"),
                required(json, "num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                required(json, "vocab_size"),
                maxPositions,
                json.has("rms_norm_eps") ? json.get("rms_norm_eps").getAsDouble() : 1e-6,
                json.has("rope_theta") ? json.get("rope_theta").getAsDouble() : 10000.0,
                ropeScaling(json.get("rope_scaling")),
                bias,
                bool(json, "tie_word_embeddings", false));
    }

    private static RopeScaling ropeScaling(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        JsonObject o = element.getAsJsonObject();
        String type = string(o, "rope_type", string(o, "type", "default")).toLowerCase(Locale.ROOT);
        switch (type) {
            case "default":
                return null;
            case "linear":
                return new RopeScaling("linear", o.get("factor").getAsDouble(), 0, 0, 0);
            case "llama3":
                return new RopeScaling("llama3", o.get("factor").getAsDouble(),
                        o.get("low_freq_factor").getAsDouble(), o.get("high_freq_factor").getAsDouble(),
                        o.get("original_max_position_embeddings").getAsInt());
            default:
                throw new UnsupportedModelException("rope_scaling type '" + type
                        + "' is not supported (supported: linear, llama3)");
        }
    }

    private static int required(JsonObject json, String key) {
        if (!json.has(key) || json.get(key).isJsonNull()) {
            throw new UnsupportedModelException("config.json lacks " + key);
        }
        return json.get(key).getAsInt();
    }

    private static String string(JsonObject json, String key, String fallback) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : fallback;
    }

    private static boolean bool(JsonObject json, String key, boolean fallback) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsBoolean() : fallback;
    }
}
