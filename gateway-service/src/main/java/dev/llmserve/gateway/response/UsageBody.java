package dev.llmserve.gateway.response;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.Usage;

/**
 * OpenAI's {@code usage} object; {@code completion_tokens_details} only when the request speculated,
 * with its draft tokens as OpenAI's predicted-output counts.
 */
public record UsageBody(
        @JsonProperty("prompt_tokens") int promptTokens,
        @JsonProperty("completion_tokens") int completionTokens,
        @JsonProperty("total_tokens") int totalTokens,
        @JsonProperty("completion_tokens_details") @JsonInclude(JsonInclude.Include.NON_NULL)
        CompletionTokensDetails completionTokensDetails) {

    /** Draft tokens the target accepted, and proposed but rejected. */
    public record CompletionTokensDetails(
            @JsonProperty("accepted_prediction_tokens") int acceptedPredictionTokens,
            @JsonProperty("rejected_prediction_tokens") int rejectedPredictionTokens) {}

    /** The scheduler's count from the last event, or the gateway's own when it sent none. */
    public static UsageBody of(GenerationRequest request, TokenEvent last, int generatedTokens) {
        Usage usage = last.usage();
        int prompt = usage != null ? usage.promptTokens() : request.promptTokens().size();
        int completion = usage != null ? usage.completionTokens() : generatedTokens;
        CompletionTokensDetails details = usage != null && usage.acceptedDraftTokens() != null
                ? new CompletionTokensDetails(usage.acceptedDraftTokens(), usage.rejectedDraftTokens())
                : null;
        return new UsageBody(prompt, completion, prompt + completion, details);
    }
}
