package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.TokenEventBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The events of one engine iteration, grouped by reply topic so that each topic gets one record. */
public final class OutboundEvents {

    private final Map<String, List<TokenEvent>> byTopic = new LinkedHashMap<>();

    void add(String replyTopic, TokenEvent event) {
        byTopic.computeIfAbsent(replyTopic, t -> new ArrayList<>()).add(event);
    }

    /** All events, in the order they were added. */
    public List<TokenEvent> events() {
        return byTopic.values().stream().flatMap(List::stream).toList();
    }

    public void publishTo(TokenEventSink sink) {
        byTopic.forEach((topic, events) -> sink.publish(topic, new TokenEventBatch(TokenEventBatch.VERSION, events)));
    }
}
