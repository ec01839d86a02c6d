package dev.llmserve.gateway.model;

import dev.llmserve.gateway.error.OpenAiException;

/**
 * The one model this deployment serves, as the gateway knows it.
 *
 * @param contextLength the most tokens a sequence (prompt + completion) may hold, from config.json
 * @param vocabSize token ids below this are valid in prompts and logit_bias
 * @param createdAt epoch seconds, reported by /v1/models
 */
public record ServedModel(String name, int contextLength, int vocabSize, long createdAt, SamplingDefaults defaults) {

    /** Fails with 404 unless {@code requested} names this model. */
    public void require(String requested) {
        if (!name.equals(requested)) {
            throw OpenAiException.modelNotFound(requested);
        }
    }
}
