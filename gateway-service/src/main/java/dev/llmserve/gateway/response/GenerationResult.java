package dev.llmserve.gateway.response;

import dev.llmserve.gateway.generation.FinishReasons;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.TokenLogprobs;
import java.util.ArrayList;
import java.util.List;

/** All token events of a finished request, gathered for a non-streaming response. */
public record GenerationResult(String text, String finishReason, UsageBody usage, List<TokenLogprobs> logprobs) {

    public GenerationResult {
        logprobs = List.copyOf(logprobs);
    }

    /** {@code events} end with the event carrying the finish reason. */
    public static GenerationResult of(GenerationRequest request, List<TokenEvent> events) {
        TokenEvent last = events.get(events.size() - 1);
        String finishReason = FinishReasons.of(last);
        StringBuilder text = new StringBuilder();
        List<TokenLogprobs> logprobs = new ArrayList<>();
        int generated = 0;
        for (TokenEvent event : events) {
            text.append(event.text());
            logprobs.addAll(event.logprobs());
            generated += event.tokenIds().size();
        }
        return new GenerationResult(text.toString(), finishReason, UsageBody.of(request, last, generated), logprobs);
    }
}
