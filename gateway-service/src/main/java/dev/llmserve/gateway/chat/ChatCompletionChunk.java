package dev.llmserve.gateway.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.response.UsageBody;
import java.util.List;

/** One streamed chat chunk; {@code usage} appears only on the final usage chunk. */
record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage) {

    record Choice(int index, Delta delta, ChatLogprobs logprobs, @JsonProperty("finish_reason") String finishReason) {}

    /** The final chunk's delta is empty: {@code {}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {}
}
