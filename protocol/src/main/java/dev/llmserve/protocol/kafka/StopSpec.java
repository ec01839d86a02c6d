package dev.llmserve.protocol.kafka;

import java.util.List;

/** When a request's generation ends, besides the model's own end-of-sequence tokens. */
public record StopSpec(int maxTokens, List<Integer> stopTokenIds, List<String> stopStrings, boolean ignoreEos) {

    public StopSpec {
        stopTokenIds = stopTokenIds == null ? List.of() : List.copyOf(stopTokenIds);
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    }
}
