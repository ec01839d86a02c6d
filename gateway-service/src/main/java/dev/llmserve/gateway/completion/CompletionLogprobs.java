package dev.llmserve.gateway.completion;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.response.Logprobs;
import dev.llmserve.protocol.kafka.TokenLogprobs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completions logprobs in the legacy shape: parallel lists of tokens, their logprobs, a map of the
 * best alternatives per position, and each token's character offset in the completion text.
 */
record CompletionLogprobs(
        List<String> tokens,
        @JsonProperty("token_logprobs") List<Float> tokenLogprobs,
        @JsonProperty("top_logprobs") List<Map<String, Float>> topLogprobs,
        @JsonProperty("text_offset") List<Integer> textOffset) {

    /** @param startOffset the completion text's length before these tokens */
    static CompletionLogprobs of(List<TokenLogprobs> tokens, int startOffset) {
        List<String> texts = new ArrayList<>();
        List<Float> logprobs = new ArrayList<>();
        List<Map<String, Float>> top = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int offset = startOffset;
        for (TokenLogprobs token : tokens) {
            texts.add(token.token());
            logprobs.add(Logprobs.value(token.logprob()));
            Map<String, Float> alternatives = new LinkedHashMap<>();
            token.top().forEach(alt -> alternatives.putIfAbsent(alt.token(), Logprobs.value(alt.logprob())));
            top.add(alternatives);
            offsets.add(offset);
            offset += token.token().length();
        }
        return new CompletionLogprobs(texts, logprobs, top, offsets);
    }

    /** The text length these tokens cover, for the offsets of the next ones. */
    static int length(List<TokenLogprobs> tokens) {
        return tokens.stream().mapToInt(token -> token.token().length()).sum();
    }
}
