package dev.llmserve.gateway.batch.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of batches, newest first, in OpenAI's cursor-page shape. */
record BatchList(String object, List<BatchObject> data, @JsonProperty("first_id") String firstId,
        @JsonProperty("last_id") String lastId, @JsonProperty("has_more") boolean hasMore) {

    static BatchList of(List<BatchObject> page, boolean hasMore) {
        return new BatchList("list", page, page.isEmpty() ? null : page.get(0).id(),
                page.isEmpty() ? null : page.get(page.size() - 1).id(), hasMore);
    }
}
