package dev.llmserve.gateway.response;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;

/** OpenAI's {@code usage} object. */
public record UsageBody(
        @JsonProperty("prompt_tokens") int promptTokens,
        @JsonProperty("completion_tokens") int completionTokens,
        @JsonProperty("total_tokens") int totalTokens) {

    /** The scheduler's count from the last event, or the gateway's own when it sent none. */
    public static UsageBody of(GenerationRequest request, TokenEvent last, int generatedTokens) {
        int prompt = last.usage() != null ? last.usage().promptTokens() : request.promptTokens().size();
        int completion = last.usage() != null ? last.usage().completionTokens() : generatedTokens;
        return new UsageBody(prompt, completion, prompt + completion);
    }
}
