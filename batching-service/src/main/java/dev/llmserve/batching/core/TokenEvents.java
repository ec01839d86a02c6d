package dev.llmserve.batching.core;

import dev.llmserve.engine.output.FinishReason;
import dev.llmserve.engine.output.OutputDelta;
import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.TokenLogprob;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.TokenLogprobs;
import dev.llmserve.protocol.kafka.Usage;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Shapes the events a sequence publishes. Logprob entries name tokens by their vocabulary piece
 * (as the tokenizer spells it, e.g. {@code ▁Once}); the streamed text is the detokenized output.
 */
final class TokenEvents {

    static final String CANCELLED = "cancelled";
    static final String ERROR = "error";

    private final IntFunction<String> tokenPieces;
    private final Function<Sequence, Usage> usage;

    /** @param usage what a sequence's last event reports (a speculating one adds its draft tokens) */
    TokenEvents(IntFunction<String> tokenPieces, Function<Sequence, Usage> usage) {
        this.tokenPieces = tokenPieces;
        this.usage = usage;
    }

    /** The event for a token a step sampled; the last one when the token finished the sequence. */
    TokenEvent sampled(Sequence seq, SampledToken token, OutputDelta delta) {
        return appended(seq, List.of(token.tokenId()), delta.textDelta(), delta.finished(), logprobs(seq, token));
    }

    /**
     * The one event for the tokens a verification appended (its accepted run, cut at the token that
     * finished the sequence, if one did) and the text they add.
     */
    TokenEvent verified(Sequence seq, List<Integer> tokenIds, String text, FinishReason finished) {
        return appended(seq, tokenIds, text, finished, List.of());
    }

    private TokenEvent appended(Sequence seq, List<Integer> tokenIds, String text, FinishReason finished,
            List<TokenLogprobs> logprobs) {
        String finish = finished == null ? null : finished.openAiName();
        return new TokenEvent(seq.requestId(), seq.takeEventIndex(), tokenIds, text, logprobs, finish,
                finish == null ? null : usage.apply(seq), null);
    }

    /** The last event of a sequence ended by a cancel ({@code error == null}) or an error. */
    TokenEvent ended(Sequence seq, String error) {
        return new TokenEvent(seq.requestId(), seq.takeEventIndex(), List.of(), "", List.of(),
                error == null ? CANCELLED : ERROR, usage.apply(seq), error);
    }

    /** The only event of a request that never became a sequence. */
    static TokenEvent rejected(String requestId, int promptTokens, String finishReason, String error) {
        return new TokenEvent(requestId, 0, List.of(), "", List.of(), finishReason, new Usage(promptTokens, 0), error);
    }

    private List<TokenLogprobs> logprobs(Sequence seq, SampledToken token) {
        if (seq.sampling().logprobs() < 0 || Float.isNaN(token.logprob())) {
            return List.of();
        }
        List<TokenLogprobs.Alternative> top = token.topLogprobs().stream()
                .map(this::alternative)
                .toList();
        return List.of(new TokenLogprobs(token.tokenId(), tokenPieces.apply(token.tokenId()), token.logprob(), top));
    }

    private TokenLogprobs.Alternative alternative(TokenLogprob t) {
        return new TokenLogprobs.Alternative(t.tokenId(), tokenPieces.apply(t.tokenId()), t.logprob());
    }
}
