package dev.llmserve.gateway.model;

import dev.llmserve.engine.config.GenerationConfig;

/**
 * What a request gets for the sampling parameters it leaves out: the model's
 * {@code generation_config.json} recommendations, else OpenAI's defaults (as {@code llmserve generate}
 * and vLLM do).
 */
public record SamplingDefaults(float temperature, float topP, int topK, float minP, float repetitionPenalty) {

    public static SamplingDefaults from(GenerationConfig config) {
        return new SamplingDefaults(
                (float) config.temperature().orElse(1.0),
                (float) config.topP().orElse(1.0),
                config.topK().orElse(0),
                (float) config.minP().orElse(0.0),
                (float) config.repetitionPenalty().orElse(1.0));
    }
}
