package dev.llmserve.protocol.kafka;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What one scheduler step produced for one request. {@code index} counts this request's events
 * from 0 without gaps, so a consumer drops duplicates and notices gaps. The last event of a request
 * carries {@code finishReason} ("stop", "length", "cancelled" or "error") and {@code usage}.
 *
 * @param tokenIds the tokens this step accepted (several when speculative decoding accepts a run)
 * @param text the text those tokens add to the stream (may be empty while a stop string or a
 *     multi-byte character is held back)
 * @param error a message when finishReason is "error", otherwise null
 */
public record TokenEvent(
        String requestId,
        int index,
        List<Integer> tokenIds,
        String text,
        List<TokenLogprobs> logprobs,
        String finishReason,
        Usage usage,
        String error) {

    public TokenEvent {
        tokenIds = tokenIds == null ? List.of() : List.copyOf(tokenIds);
        logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
    }

    /** Derived from finishReason, so not written to the wire. */
    @JsonIgnore
    public boolean isLast() {
        return finishReason != null;
    }
}
