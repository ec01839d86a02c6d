package dev.llmserve.tools.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.llmserve.engine.config.ModelConfig;

/**
 * The architecture to train: a Llama with tied embeddings, as written to {@code config.json}. The
 * vocabulary and special-token ids come from the tokenizer.
 */
public record ModelShape(
        int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions, double ropeTheta,
        double rmsNormEps) {

    public ModelShape {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of heads " + heads);
        }
    }

    /** The Hugging Face {@code config.json} of this shape; the engine reads it back unchanged. */
    public JsonObject configJson(int vocab, int bosId, int eosId) {
        JsonObject json = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add("LlamaForCausalLM");
        json.add("architectures", architectures);
        json.addProperty("model_type", "llama");
        json.addProperty("hidden_size", hidden);
        json.addProperty("intermediate_size", intermediate);
        json.addProperty("num_hidden_layers", layers);
        json.addProperty("num_attention_heads", heads);
        json.addProperty("num_key_value_heads", kvHeads);
        json.addProperty("vocab_size", vocab);
        json.addProperty("max_position_embeddings", maxPositions);
        json.addProperty("rms_norm_eps", rmsNormEps);
        json.addProperty("rope_theta", ropeTheta);
        json.addProperty("hidden_act", "silu");
        json.addProperty("tie_word_embeddings", true);
        json.addProperty("attention_bias", false);
        json.addProperty("bos_token_id", bosId);
        json.addProperty("eos_token_id", eosId);
        json.addProperty("torch_dtype", "float32");
        return json;
    }

    public ModelConfig modelConfig(int vocab, int bosId, int eosId) {
        return ModelConfig.parse(configJson(vocab, bosId, eosId));
    }
}
