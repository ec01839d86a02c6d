package dev.llmserve.gateway.completion;

import dev.llmserve.gateway.request.GenerationOptions;

/** A validated POST /v1/completions body. */
record CompletionRequest(String model, Prompt prompt, GenerationOptions options) {}
