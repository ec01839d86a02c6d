package dev.llmserve.protocol.kafka;

import java.util.List;

/**
 * A validated request, published once by the gateway to {@link Topics#REQUESTS} keyed by
 * {@code requestId}. The prompt is already tokenized (and templated, for chat).
 *
 * @param replyTopic where the token events for this request go (the publishing gateway's own topic)
 * @param seed the sampling seed: the client's, or one the gateway drew
 * @param priority "interactive" or "batch"
 * @param speculative false: decode without speculation even where the deployment speculates; null
 *     (also what a message from an older gateway decodes to): the deployment's default
 */
public record GenerationRequest(
        int v,
        String requestId,
        String replyTopic,
        String model,
        List<Integer> promptTokens,
        SamplingSpec sampling,
        StopSpec stop,
        long seed,
        String priority,
        long createdAtMillis,
        Boolean speculative) {

    public static final int VERSION = 1;

    public GenerationRequest {
        promptTokens = List.copyOf(promptTokens);
    }
}
