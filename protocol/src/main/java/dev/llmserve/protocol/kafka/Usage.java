package dev.llmserve.protocol.kafka;

/** Token counts of a finished request. */
public record Usage(int promptTokens, int completionTokens) {}
