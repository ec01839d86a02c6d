package dev.llmserve.gateway.chat;

import dev.llmserve.gateway.generation.FinishReasons;
import dev.llmserve.gateway.response.UsageBody;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one request's token events into OpenAI's chunk sequence: a first chunk with the assistant
 * role, a content chunk per event that adds text (or logprobs), a final chunk with an empty delta
 * and the finish reason, and, when asked for, a usage chunk with no choices.
 */
final class ChatChunks {

    private static final String OBJECT = "chat.completion.chunk";

    private final GenerationRequest request;
    private final boolean logprobs;
    private final boolean includeUsage;
    private int generatedTokens;

    ChatChunks(GenerationRequest request, boolean includeUsage) {
        this.request = request;
        this.logprobs = request.sampling().logprobs() >= 0;
        this.includeUsage = includeUsage;
    }

    ChatCompletionChunk first() {
        return chunk(new ChatCompletionChunk.Delta("assistant", ""), null, null);
    }

    List<ChatCompletionChunk> after(TokenEvent event) {
        generatedTokens += event.tokenIds().size();
        List<ChatCompletionChunk> chunks = new ArrayList<>(3);
        boolean hasLogprobs = logprobs && !event.logprobs().isEmpty();
        if (!event.text().isEmpty() || hasLogprobs) {
            chunks.add(chunk(new ChatCompletionChunk.Delta(null, event.text()),
                    hasLogprobs ? ChatLogprobs.of(event.logprobs()) : null, null));
        }
        if (event.isLast()) {
            chunks.add(chunk(new ChatCompletionChunk.Delta(null, null), null, FinishReasons.of(event)));
            if (includeUsage) {
                chunks.add(new ChatCompletionChunk(request.requestId(), OBJECT, created(), request.model(), List.of(),
                        UsageBody.of(request, event, generatedTokens)));
            }
        }
        return chunks;
    }

    private ChatCompletionChunk chunk(ChatCompletionChunk.Delta delta, ChatLogprobs logprobs, String finishReason) {
        return new ChatCompletionChunk(request.requestId(), OBJECT, created(), request.model(),
                List.of(new ChatCompletionChunk.Choice(0, delta, logprobs, finishReason)), null);
    }

    private long created() {
        return request.createdAtMillis() / 1000;
    }
}
