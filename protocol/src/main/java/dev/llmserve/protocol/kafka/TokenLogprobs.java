package dev.llmserve.protocol.kafka;

import java.util.List;

/** One generated token's log-probability and, when asked, its best alternatives. */
public record TokenLogprobs(int tokenId, String token, float logprob, List<Alternative> top) {

    /** An alternative token at the same position. */
    public record Alternative(int tokenId, String token, float logprob) {}

    public TokenLogprobs {
        top = top == null ? List.of() : List.copyOf(top);
    }
}
