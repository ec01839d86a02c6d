package dev.llmserve.protocol.kafka;

/**
 * Kafka topic names. Requests and cancels are keyed by request id; each gateway instance reads its
 * token events from its own reply topic, named in every request it publishes.
 */
public final class Topics {

    public static final String REQUESTS = "llmserve.requests";
    public static final String CANCELS = "llmserve.cancels";
    private static final String TOKENS_PREFIX = "llmserve.tokens.";

    private Topics() {}

    /** The reply topic of one gateway instance. */
    public static String tokensFor(String gatewayInstanceId) {
        if (!gatewayInstanceId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("invalid gateway instance id '" + gatewayInstanceId + "'");
        }
        return TOKENS_PREFIX + gatewayInstanceId;
    }
}
