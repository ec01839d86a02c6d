package dev.llmserve.protocol.kafka;

import java.util.List;
import java.util.Objects;

/**
 * A validated request, published once by the gateway to {@link Topics#REQUESTS} keyed by
 * {@code requestId}. The prompt is already tokenized (and templated, for chat).
 *
 * @param replyTopic where the token events for this request go (the publishing gateway's own topic)
 * @param sampling how to turn logits into tokens; the seed travels beside it, not in it
 * @param seed the sampling seed: the client's, or one the gateway drew. Every later layer carries it
 *     beside the sampling settings the same way (a step's {@code seed}, the engine's {@code SamplingRow})
 * @param priority the scheduling class; a message without one (an older gateway's) is interactive
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
        Priority priority,
        long createdAtMillis,
        Boolean speculative) {

    public static final int VERSION = 1;

    public GenerationRequest {
        promptTokens = List.copyOf(promptTokens);
        priority = Objects.requireNonNullElse(priority, Priority.INTERACTIVE);
    }
}
