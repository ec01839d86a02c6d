package dev.llmserve.gateway.kafka;

/**
 * This instance's token-event topic and the consumer group that reads it (the instance id), so that
 * each gateway instance receives only the events of the requests it published.
 */
public record ReplyTopic(String name, String consumerGroup) {}
