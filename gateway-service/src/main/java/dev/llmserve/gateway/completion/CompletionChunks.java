package dev.llmserve.gateway.completion;

import dev.llmserve.gateway.generation.FinishReasons;
import dev.llmserve.gateway.response.UsageBody;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one request's token events into streamed text completion chunks: one per event that adds
 * text (or logprobs), a final one with empty text and the finish reason, and, when asked for, a usage
 * chunk with no choices.
 */
final class CompletionChunks {

    private final GenerationRequest request;
    private final boolean logprobs;
    private final boolean includeUsage;
    private int generatedTokens;
    private int textOffset;

    CompletionChunks(GenerationRequest request, boolean includeUsage) {
        this.request = request;
        this.logprobs = request.sampling().logprobs() >= 0;
        this.includeUsage = includeUsage;
    }

    List<Completion> after(TokenEvent event) {
        generatedTokens += event.tokenIds().size();
        List<Completion> chunks = new ArrayList<>(3);
        boolean hasLogprobs = logprobs && !event.logprobs().isEmpty();
        if (!event.text().isEmpty() || hasLogprobs) {
            CompletionLogprobs eventLogprobs = hasLogprobs ? CompletionLogprobs.of(event.logprobs(), textOffset) : null;
            textOffset += CompletionLogprobs.length(event.logprobs());
            chunks.add(chunk(List.of(new Completion.Choice(0, event.text(), eventLogprobs, null)), null));
        }
        if (event.isLast()) {
            chunks.add(chunk(List.of(new Completion.Choice(0, "", null, FinishReasons.of(event))), null));
            if (includeUsage) {
                chunks.add(chunk(List.of(), UsageBody.of(request, event, generatedTokens)));
            }
        }
        return chunks;
    }

    private Completion chunk(List<Completion.Choice> choices, UsageBody usage) {
        return new Completion(request.requestId(), Completion.OBJECT, request.createdAtMillis() / 1000,
                request.model(), choices, usage);
    }
}
