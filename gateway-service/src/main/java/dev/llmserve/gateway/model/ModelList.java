package dev.llmserve.gateway.model;

import java.util.List;

/** The body of GET /v1/models. */
public record ModelList(String object, List<ModelCard> data) {

    static ModelList of(List<ModelCard> cards) {
        return new ModelList("list", cards);
    }
}
