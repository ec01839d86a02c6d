package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.TokenEventBatch;

/** Where a step's events go. Must not block: the engine loop calls it between steps. */
public interface TokenEventSink {

    void publish(String replyTopic, TokenEventBatch batch);
}
