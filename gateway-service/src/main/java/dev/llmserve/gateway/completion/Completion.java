package dev.llmserve.gateway.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.response.GenerationResult;
import dev.llmserve.gateway.response.UsageBody;
import dev.llmserve.protocol.kafka.GenerationRequest;
import java.util.List;

/**
 * A text completion object: the whole response ({@code object} "text_completion") or, with the same
 * shape, one streamed chunk, whose {@code usage} appears only on the final usage chunk.
 */
record Completion(String id, String object, long created, String model, List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage) {

    static final String OBJECT = "text_completion";

    record Choice(int index, String text, CompletionLogprobs logprobs,
            @JsonProperty("finish_reason") String finishReason) {}

    static Completion of(GenerationRequest request, GenerationResult result) {
        CompletionLogprobs logprobs = request.sampling().logprobs() >= 0
                ? CompletionLogprobs.of(result.logprobs(), 0) : null;
        return new Completion(request.requestId(), OBJECT, request.createdAtMillis() / 1000, request.model(),
                List.of(new Choice(0, result.text(), logprobs, result.finishReason())), result.usage());
    }
}
