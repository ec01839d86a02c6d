package dev.llmserve.gateway.chat;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.response.GenerationResult;
import dev.llmserve.gateway.response.UsageBody;
import dev.llmserve.protocol.kafka.GenerationRequest;
import java.util.List;

/** The non-streaming chat completion object. */
record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, UsageBody usage) {

    record Choice(int index, Message message, ChatLogprobs logprobs,
            @JsonProperty("finish_reason") String finishReason) {}

    record Message(String role, String content, String refusal) {}

    static ChatCompletion of(GenerationRequest request, GenerationResult result) {
        ChatLogprobs logprobs = request.sampling().logprobs() >= 0 ? ChatLogprobs.of(result.logprobs()) : null;
        Choice choice = new Choice(0, new Message("assistant", result.text(), null), logprobs, result.finishReason());
        return new ChatCompletion(request.requestId(), "chat.completion", request.createdAtMillis() / 1000,
                request.model(), List.of(choice), result.usage());
    }
}
