package dev.llmserve.gateway.chat;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.response.Logprobs;
import dev.llmserve.protocol.kafka.TokenLogprobs;
import java.util.List;

/** Chat logprobs in OpenAI's shape: {@code {"content":[{token, logprob, bytes, top_logprobs}]}}. */
record ChatLogprobs(List<Entry> content) {

    record Entry(String token, float logprob, List<Integer> bytes,
            @JsonProperty("top_logprobs") List<Alternative> topLogprobs) {}

    record Alternative(String token, float logprob, List<Integer> bytes) {}

    static ChatLogprobs of(List<TokenLogprobs> tokens) {
        return new ChatLogprobs(tokens.stream().map(ChatLogprobs::entry).toList());
    }

    private static Entry entry(TokenLogprobs token) {
        List<Alternative> top = token.top().stream()
                .map(alt -> new Alternative(alt.token(), Logprobs.value(alt.logprob()), Logprobs.bytes(alt.token())))
                .toList();
        return new Entry(token.token(), Logprobs.value(token.logprob()), Logprobs.bytes(token.token()), top);
    }
}
