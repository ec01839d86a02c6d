package dev.llmserve.gateway.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of /v1/models; {@code max_model_len} is vLLM's extension giving the context length. */
public record ModelCard(
        String id,
        String object,
        long created,
        @JsonProperty("owned_by") String ownedBy,
        @JsonProperty("max_model_len") int maxModelLen) {

    static ModelCard of(ServedModel model) {
        return new ModelCard(model.name(), "model", model.createdAt(), "llmserve", model.contextLength());
    }
}
