package dev.llmserve.gateway.generation;

import dev.llmserve.gateway.response.GenerationResult;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Priority;

/**
 * An OpenAI endpoint that runs one generation per request. The HTTP controllers and the batch jobs
 * both go through it, so a batch line is validated and answered exactly as the same request sent
 * to the endpoint directly.
 */
public interface GenerationEndpoint {

    /** The endpoint's path, e.g. {@code /v1/chat/completions}. */
    String path();

    /** Parses, validates, renders and tokenizes a request body; fails with an {@code OpenAiException}. */
    PreparedGeneration prepare(byte[] body, Priority priority);

    /** The non-streaming response body for a finished generation. */
    Object responseBody(GenerationRequest request, GenerationResult result);
}
