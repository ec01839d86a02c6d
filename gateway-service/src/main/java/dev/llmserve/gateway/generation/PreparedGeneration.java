package dev.llmserve.gateway.generation;

import dev.llmserve.gateway.request.GenerationOptions;
import dev.llmserve.protocol.kafka.GenerationRequest;

/** A validated, tokenized request ready to publish, with the options that shape its response. */
public record PreparedGeneration(GenerationRequest request, GenerationOptions options) {}
