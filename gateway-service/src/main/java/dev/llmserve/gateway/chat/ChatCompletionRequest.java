package dev.llmserve.gateway.chat;

import dev.llmserve.engine.tokenizer.ChatMessage;
import dev.llmserve.gateway.request.GenerationOptions;
import java.util.List;

/** A validated POST /v1/chat/completions body. */
record ChatCompletionRequest(String model, List<ChatMessage> messages, GenerationOptions options) {

    ChatCompletionRequest {
        messages = List.copyOf(messages);
    }
}
