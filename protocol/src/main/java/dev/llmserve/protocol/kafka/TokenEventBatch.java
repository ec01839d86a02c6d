package dev.llmserve.protocol.kafka;

import java.util.List;

/** All events of one scheduler step bound for one reply topic, sent as one record. */
public record TokenEventBatch(int v, List<TokenEvent> events) {

    public static final int VERSION = 1;

    public TokenEventBatch {
        events = List.copyOf(events);
    }
}
